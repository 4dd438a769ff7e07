// ChatService with in-memory provider fakes (the port, not an SDK): failover order, terminal
// failures, stream hold-until-content, and exactly one cost record per answered call.
import { describe, expect, it } from 'vitest';
import { ChatService } from '#core/chat/chat-service.ts';
import { ProviderError, RouterError } from '#core/shared/errors.ts';
import type { ProviderFailureKind } from '#core/shared/errors.ts';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '#core/chat/openai-types.ts';
import type { ProviderClient } from '#core/chat/ports.ts';
import type { CostLedger, CostRecord } from '#core/pricing/ports.ts';
import { StreamInterruptedError } from '#core/chat/stream-session.ts';
import { cheapAndPriceyCatalog } from '../support/catalog-fixtures.ts';

// Two providers, one model each; `cheap` always ranks first under cost-first.
const catalog = cheapAndPriceyCatalog();

type Behaviour = { fail: ProviderFailureKind; retryAfterMs?: number } | { answer: string; usage?: boolean; breakAfter?: number };

function failure(kind: ProviderFailureKind, retryAfterMs?: number): ProviderError {
  return new ProviderError(`simulated ${kind}`, { kind, providerId: 'x', ...(retryAfterMs ? { retryAfterMs } : {}) });
}

function completion(model: string, text: string): ChatCompletion {
  return {
    id: 'c1', object: 'chat.completion', created: 1, model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
  };
}

function chunk(model: string, delta: ChatCompletionChunk['choices'][number]['delta'], finish: 'stop' | null = null): ChatCompletionChunk {
  return { id: 'k1', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] };
}

function fakeProvider(providerId: string, behaviour: Behaviour, calls: string[]): ProviderClient {
  return {
    providerId,
    async chat(request: ChatRequest) {
      calls.push(`${providerId}:${request.model}`);
      if ('fail' in behaviour) throw failure(behaviour.fail, behaviour.retryAfterMs);
      return completion(request.model, behaviour.answer);
    },
    async *stream(request: ChatRequest) {
      calls.push(`${providerId}:${request.model}:stream`);
      yield chunk(request.model, { role: 'assistant', content: '' });
      if ('fail' in behaviour) throw failure(behaviour.fail);
      const words = behaviour.answer.split(' ');
      for (const [i, word] of words.entries()) {
        if (behaviour.breakAfter !== undefined && i === behaviour.breakAfter) throw failure('stream_interrupted');
        yield chunk(request.model, { content: `${word} ` });
      }
      yield chunk(request.model, {}, 'stop');
      if (behaviour.usage !== false) {
        yield { ...chunk(request.model, {}), choices: [], usage: { prompt_tokens: 10, completion_tokens: words.length, total_tokens: 10 + words.length } };
      }
    },
  };
}

function setup(a: Behaviour, b: Behaviour) {
  const calls: string[] = [];
  const records: CostRecord[] = [];
  const ledger: CostLedger = { record: async (r) => { records.push(r); } };
  const providers = { pa: fakeProvider('pa', a, calls), pb: fakeProvider('pb', b, calls) };
  const sleeps: number[] = [];
  const service = new ChatService({
    catalog,
    provider: (id) => providers[id as 'pa' | 'pb'],
    ledger,
    clock: { now: () => Date.parse('2026-11-26T12:00:00Z') },
    // Retry backoff goes through this: recorded, never really waited for.
    sleep: async (ms) => { sleeps.push(ms); },
    random: () => 0.5,
  });
  return { service, calls, records, sleeps };
}

const request: ChatRequest = { model: 'auto', messages: [{ role: 'user', content: 'hi' }] };
const ctx = { principal: { tenantId: 't1', keyId: 'key_1' }, requestId: 'r1', hints: {} };

async function drain(chunks: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

describe('ChatService.complete', () => {
  it('answers from the first candidate and records its cost once', async () => {
    const { service, calls, records } = setup({ answer: 'ok' }, { answer: 'never' });

    const result = await service.complete(request, ctx);

    expect(calls).toEqual(['pa:cheap-up']);
    expect(result.completion.model).toBe('cheap');
    expect(result.outcome).toMatchObject({ modelId: 'cheap', attempts: 1, strategy: 'cost-first' });
    expect(result.costUsd).toBeCloseTo((1000 * 1 + 500 * 2) / 1e6, 12);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ tenantId: 't1', requestId: 'r1', modelId: 'cheap', attempts: 1, costUsd: result.costUsd });
  });

  // Behaviour change with the retry policy: a server error is retried once on the same deployment
  // (jittered backoff) before the router fails over.
  it('retries a server error once, then fails over: one record per attempt, only the answer costs', async () => {
    const { service, calls, records, sleeps } = setup({ fail: 'server_error' }, { answer: 'ok' });

    const result = await service.complete(request, ctx);

    expect(calls).toEqual(['pa:cheap-up', 'pa:cheap-up', 'pb:pricey-up']);
    expect(sleeps).toEqual([250]);
    expect(result.outcome).toMatchObject({ modelId: 'pricey', providerId: 'pb', attempts: 3 });
    expect(result.outcome.failures.map((f) => f.kind)).toEqual(['server_error', 'server_error']);
    expect(records.map((r) => [r.modelId, r.attempt, r.ending, r.costUsd > 0])).toEqual([
      ['cheap', 1, 'failed_over', false], ['cheap', 2, 'failed_over', false], ['pricey', 3, 'complete', true],
    ]);
  });

  it('stops at a content-policy rejection and returns the provider reason as a 400', async () => {
    const { service, calls, records } = setup({ fail: 'content_policy' }, { answer: 'ok' });

    const error = await service.complete(request, ctx).catch((e: unknown) => e);

    expect(calls).toEqual(['pa:cheap-up']);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).status).toBe(400);
    expect((error as RouterError).code).toBe('content_policy_violation');
    // The refused attempt is on the ledger, at no cost.
    expect(records.map((r) => [r.modelId, r.ending, r.costUsd])).toEqual([['cheap', 'failed', 0]]);
  });

  it('returns 504 when every candidate timed out, naming each failure', async () => {
    const { service } = setup({ fail: 'timeout' }, { fail: 'timeout' });

    const error = (await service.complete(request, ctx).catch((e: unknown) => e)) as RouterError;

    expect(error.status).toBe(504);
    expect(error.message).toContain('cheap: simulated timeout');
    expect(error.message).toContain('pricey: simulated timeout');
  });

  it('returns 503 with Retry-After when the last candidate was rate limited', async () => {
    const { service } = setup({ fail: 'server_error' }, { fail: 'rate_limited', retryAfterMs: 2500 });

    const error = (await service.complete(request, ctx).catch((e: unknown) => e)) as RouterError;

    expect(error.status).toBe(503);
    expect(error.headers['retry-after']).toBe('3');
  });
});

describe('ChatService.stream', () => {
  it('fails over when a stream breaks before any content', async () => {
    const { service, calls, records } = setup({ fail: 'server_error' }, { answer: 'hello streaming world' });

    const routed = await service.stream({ ...request, stream: true }, ctx);
    const chunks = await drain(routed.chunks);

    // The server error is retried once on the same deployment before the failover.
    expect(calls).toEqual(['pa:cheap-up:stream', 'pa:cheap-up:stream', 'pb:pricey-up:stream']);
    expect(routed.outcome).toMatchObject({ modelId: 'pricey', attempts: 3 });
    expect(chunks.every((c) => c.model === 'pricey')).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('hello streaming world ');
    expect(chunks.some((c) => c.usage)).toBe(false); // not asked for
    expect(records.map((r) => r.ending)).toEqual(['failed_over', 'failed_over', 'complete']);
    const answered = records.find((r) => r.ending === 'complete');
    expect(answered).toMatchObject({ stream: true, outputTokens: 3, modelId: 'pricey', attempt: 3 });
    await expect(routed.cost).resolves.toBe(answered?.costUsd);
  });

  it('ends with StreamInterruptedError and bills the prompt and the output produced when the stream breaks after output began', async () => {
    const { service, records } = setup({ answer: 'one two three four', breakAfter: 2 }, { answer: 'never' });

    const routed = await service.stream({ ...request, stream: true }, ctx);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const c of routed.chunks) seen.push(c.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);

    expect(seen.join('')).toBe('one two ');
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ ending: 'stream_broken', modelId: 'cheap', outputTokens: 2 }); // 'one two ' counted
    expect(records[0]?.inputTokens).toBeGreaterThan(0);
    expect(records[0]?.costUsd).toBeGreaterThan(0);
  });

  it('adds an estimated usage chunk when the client asked for usage and the provider sent none', async () => {
    const { service, records } = setup({ answer: 'a b c', usage: false }, { answer: 'never' });

    const routed = await service.stream({ ...request, stream: true, stream_options: { include_usage: true } }, ctx);
    const chunks = await drain(routed.chunks);

    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(records[0]?.outputTokens).toBe(last?.usage?.completion_tokens);
  });
});

describe('ChatService.plan', () => {
  it('throws a 400 naming the constraint when nothing fits', () => {
    const { service } = setup({ answer: 'x' }, { answer: 'y' });

    expect(() => service.plan({ ...request, max_tokens: 8000 }, {})).toThrowError(/max_output excluded cheap.*pricey/);
  });
});

describe('ChatService.complete with an attempt window', () => {
  it('starts further down the plan and stops after maxAttempts', async () => {
    const { service, calls } = setup({ answer: 'a' }, { fail: 'server_error' });

    const error = await service.complete(request, ctx, { startAt: 1, maxAttempts: 1 }).catch((e: unknown) => e);

    expect(calls).toEqual(['pb:pricey-up', 'pb:pricey-up']); // one retry of the server error
    expect(error).toBeInstanceOf(RouterError);
  });

  it('numbers attempts uniquely across windows, so records of two deliveries never share a key', async () => {
    const { service, records } = setup({ fail: 'server_error' }, { fail: 'server_error' });

    await service.complete(request, ctx, { startAt: 0, maxAttempts: 1 }).catch(() => undefined);
    await service.complete(request, ctx, { startAt: 1, maxAttempts: 1 }).catch(() => undefined);

    const numbers = records.map((r) => r.attempt);
    expect(numbers).toHaveLength(4); // each delivery: the call and its one retry
    expect(new Set(numbers).size).toBe(4);
  });

  it('wraps around the plan', async () => {
    const { service, calls } = setup({ answer: 'a' }, { answer: 'b' });

    const result = await service.complete(request, ctx, { startAt: 3 });

    expect(calls).toEqual(['pb:pricey-up']);
    expect(result.outcome.modelId).toBe('pricey');
  });
});
