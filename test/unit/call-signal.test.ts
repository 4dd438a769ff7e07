// Cutting a call short: the handler wrapper turns a closed response stream into a client_disconnected
// abort and the nearing function timeout into a function_timeout abort; the chat service bills an
// attempt cut either way once, with that ending, and closes the upstream stream.
import { Writable } from 'node:stream';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { callSignal, withCallSignal } from '#handlers/shared/call-signal.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import type { BudgetGuard } from '#core/budget/ports.ts';
import { ChatService } from '#core/chat/chat-service.ts';
import type { ChatServiceDeps } from '#core/chat/chat-service.ts';
import type { ChatCompletionChunk, ChatRequest } from '#core/chat/openai-types.ts';
import type { ProviderCallOptions, ProviderClient } from '#core/chat/ports.ts';
import { CallAborted } from '#core/chat/types.ts';
import type { CostRecord } from '#core/pricing/ports.ts';
import { ProviderError } from '#core/shared/errors.ts';

const context = (remainingMs: number): Context => ({ getRemainingTimeInMillis: () => remainingMs } as unknown as Context);
const sink = (): Writable => new Writable({ write: (_c, _e, done) => done() });

afterEach(() => {
  vi.useRealTimers();
});

describe('withCallSignal', () => {
  it('aborts with client_disconnected when the response stream closes before it finished', async () => {
    const stream = sink();
    let seen: AbortSignal | undefined;
    const handler = withCallSignal(async (_event: unknown, _s, ctx) => {
      seen = callSignal(ctx);
      stream.destroy();
      await new Promise((resolve) => setImmediate(resolve));
    });
    await handler({}, stream, context(60_000));
    expect(seen?.aborted).toBe(true);
    expect((seen?.reason as CallAborted).ending).toBe('client_disconnected');
  });

  it('does not abort a response that finished', async () => {
    const stream = sink();
    let seen: AbortSignal | undefined;
    const handler = withCallSignal(async (_event: unknown, s, ctx) => {
      seen = callSignal(ctx);
      await new Promise<void>((resolve) => s.end(resolve));
    });
    await handler({}, stream, context(60_000));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen?.aborted).toBe(false);
  });

  it('aborts with function_timeout the margin before the function times out', async () => {
    vi.useFakeTimers();
    let seen: AbortSignal | undefined;
    let release!: () => void;
    const handler = withCallSignal(async (_event: unknown, _s, ctx) => {
      seen = callSignal(ctx);
      await new Promise<void>((resolve) => { release = resolve; });
    }, 1_500);
    const running = handler({}, sink(), context(10_000));
    vi.advanceTimersByTime(8_499);
    expect(seen?.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect((seen?.reason as CallAborted).ending).toBe('function_timeout');
    release();
    await running;
  });
});

const catalog = parseCatalog({
  version: 1,
  providers: [{ id: 'p', kind: 'openai-compatible', baseUrl: 'https://p.example/v1' }],
  models: [{ id: 'm', provider: 'p', upstreamId: 'm-up', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 }, contextWindow: 100_000, maxOutputTokens: 4096, quality: { overall: 0.7 } }],
});

const chunk = (delta: Record<string, unknown>): ChatCompletionChunk =>
  ({ id: 'k', object: 'chat.completion.chunk', created: 1, model: 'm-up', choices: [{ index: 0, delta, finish_reason: null }] }) as ChatCompletionChunk;

/** Waits until the call's signal fires, then fails as an adapter does when its fetch is aborted. */
const aborted = (options: ProviderCallOptions | undefined): Promise<never> => new Promise((_resolve, reject) => {
  const fail = (): void => reject(new ProviderError('call aborted', { kind: 'stream_interrupted', providerId: 'p' }));
  if (options?.signal?.aborted) fail(); // as fetch does with a signal that already fired
  else options?.signal?.addEventListener('abort', fail, { once: true });
});

function service(provider: Partial<ProviderClient>, budget?: BudgetGuard) {
  const records: CostRecord[] = [];
  const outcomes: string[] = [];
  const logged: string[] = [];
  const chat = new ChatService({
    onAttemptFailed: (failure, { cutByCaller }) => { logged.push(`${failure.modelId} ${failure.kind} cutByCaller=${String(cutByCaller)}`); },
    catalog, clock: { now: () => Date.now() }, ledger: { record: async (r) => { records.push(r); } }, ...(budget ? { budget } : {}),
    health: { current: () => ({}), recordOutcome: (modelId: string, outcome: string) => { outcomes.push(`${modelId} ${outcome}`); } } as unknown as ChatServiceDeps['health'],
    provider: () => ({ providerId: 'p', chat: async () => { throw new Error('unused'); }, stream: async function* () { /* unused */ }, ...provider }),
  });
  return { chat, records, outcomes, logged };
}

const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'A long story, please.' }] };

describe('a call cut short', () => {
  it('a stream cut by the function deadline is billed once with ending function_timeout, and the upstream stream is closed', async () => {
    let upstreamClosed = false;
    const { chat, records } = service({
      async *stream(_r, options) {
        try {
          yield chunk({ role: 'assistant', content: '' });
          yield chunk({ content: 'Once upon' });
          yield chunk({ content: ' a time' });
          await aborted(options);
        } finally {
          upstreamClosed = true;
        }
      },
    });
    const controller = new AbortController();
    const routed = await chat.stream({ ...request, stream: true }, { principal: { tenantId: 't', keyId: 'k' }, requestId: 'r', hints: {}, signal: controller.signal });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const c of routed.chunks) {
        seen.push(c.choices[0]?.delta.content ?? '');
        if (seen.join('').endsWith('a time')) controller.abort(new CallAborted('function_timeout'));
      }
    })().catch((e: unknown) => e);

    expect(error).toBeDefined();
    expect(upstreamClosed).toBe(true);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ ending: 'function_timeout', attempt: 1, outputTokens: 4 }); // 'Once upon a time', counted
    await expect(routed.cost).resolves.toBe(records[0]?.costUsd);
  });

  it('a JSON call whose client left is billed its prompt once, with ending client_disconnected, and not retried', async () => {
    let calls = 0;
    const controller = new AbortController();
    const { chat, records, outcomes, logged } = service({
      chat: async (_r, options) => {
        calls += 1;
        // The client leaves once the call is under way.
        queueMicrotask(() => controller.abort(new CallAborted('client_disconnected')));
        return aborted(options);
      },
    });

    // 499 (client closed request): not a server error, so it never counts towards the 5xx alarms.
    await expect(chat.complete(request, { principal: { tenantId: 't', keyId: 'k' }, requestId: 'r2', hints: {}, signal: controller.signal }))
      .rejects.toMatchObject({ status: 499, code: 'client_closed_request' });
    expect(calls).toBe(1);
    // The client's leaving says nothing about the model: its breaker hears nothing, and the log hook
    // is told the caller cut it (the router logs that at info, not as a provider failure).
    expect(outcomes).toEqual([]);
    expect(logged).toEqual([expect.stringMatching(/cutByCaller=true$/)]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ ending: 'client_disconnected', outputTokens: 0 });
    expect(records[0]!.inputTokens).toBeGreaterThan(0);
    expect(records[0]!.costUsd).toBeGreaterThan(0);
  });

  it('a JSON call cut by the function deadline answers 504 and is billed its prompt once, with ending function_timeout', async () => {
    const controller = new AbortController();
    const { chat, records, outcomes } = service({
      chat: async (_r, options) => {
        queueMicrotask(() => controller.abort(new CallAborted('function_timeout')));
        return aborted(options);
      },
    });

    await expect(chat.complete(request, { principal: { tenantId: 't', keyId: 'k' }, requestId: 'r5', hints: {}, signal: controller.signal }))
      .rejects.toMatchObject({ status: 504, code: 'function_timeout' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ ending: 'function_timeout', outputTokens: 0 });
    expect(outcomes).toEqual([]);
  });

  it('a call whose client left before it began (during the cache lookup) is never started: nothing billed, the hold released', async () => {
    let calls = 0;
    const holds = { reserved: 0, settled: 0, released: 0 };
    const controller = new AbortController();
    const { chat, records } = service({ chat: async (_r, options) => { calls += 1; return aborted(options); } }, {
      reserve: async (principal, _hold, requestId) => { holds.reserved += 1; return { requestId, tenantId: principal.tenantId, keyId: principal.keyId, amountUsd: 0.01, period: '2026-11' }; },
      settle: async () => { holds.settled += 1; },
      release: async () => { holds.released += 1; },
    });
    const pending = chat.complete(request, { principal: { tenantId: 't', keyId: 'k' }, requestId: 'r4', hints: {}, signal: controller.signal });
    controller.abort(new CallAborted('client_disconnected'));

    await expect(pending).rejects.toMatchObject({ status: 499 });
    expect(calls).toBe(0);
    expect(records).toEqual([]);
    expect(holds).toEqual({ reserved: 1, settled: 0, released: 1 });
  });

  it('a stream whose client left before the relay ever ran is still billed once and closed', async () => {
    let upstreamClosed = false;
    const { chat, records } = service({
      async *stream(_r, options) {
        try {
          yield chunk({ role: 'assistant', content: 'First' });
          await aborted(options);
        } finally {
          upstreamClosed = true;
        }
      },
    });
    const controller = new AbortController();
    const routed = await chat.stream({ ...request, stream: true }, { principal: { tenantId: 't', keyId: 'k' }, requestId: 'r3', hints: {}, signal: controller.signal });
    controller.abort(new CallAborted('client_disconnected')); // the response never started to be read

    const cost = await routed.cost;

    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ ending: 'client_disconnected', outputTokens: 2, costUsd: cost }); // 'First', counted
    await vi.waitFor(() => expect(upstreamClosed).toBe(true));
  });
});
