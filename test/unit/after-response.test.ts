// Bookkeeping after the response: the streaming wrapper ends the response first and awaits the work
// the call deferred (cost records, budget settlement, cache store) before the invocation's promise
// resolves; the chat service hands that work over instead of waiting for it, and loses none of it on
// failover, on a stream nobody reads, or when the store is slow.
import { Writable } from 'node:stream';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { callHooks, withCallSignal } from '#handlers/shared/call-signal.ts';
import { ChatService } from '#core/chat/chat-service.ts';
import type { ChatCompletionChunk, ChatRequest } from '#core/chat/openai-types.ts';
import type { ProviderCallOptions, ProviderClient } from '#core/chat/ports.ts';
import type { ChatCallContext } from '#core/chat/types.ts';
import type { BudgetGuard, BudgetReservation } from '#core/budget/ports.ts';
import type { CostRecord } from '#core/pricing/ports.ts';
import { ProviderError } from '#core/shared/errors.ts';
import { cheapAndPriceyCatalog } from '../support/catalog-fixtures.ts';

const context = (): Context => ({ getRemainingTimeInMillis: () => 60_000 } as unknown as Context);
const sink = (): Writable => new Writable({ write: (_c, _e, done) => done() });

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { opened, open };
}

/** Lets every pending callback and I/O turn run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('withCallSignal after the response', () => {
  it('ends the response before the deferred work and resolves the invocation only after it', async () => {
    const stream = sink();
    const writes = gate();
    let finishedWhileWorkPending: boolean | undefined;
    const handler = withCallSignal(async (_event: unknown, s, ctx) => {
      callHooks(ctx).defer!(() => writes.opened);
      await new Promise<void>((resolve) => s.end('answer', resolve));
    });
    let invocationDone = false;
    const running = handler({}, stream, context()).then(() => { invocationDone = true; });
    stream.once('finish', () => { finishedWhileWorkPending = !invocationDone; });
    await settle();

    expect(finishedWhileWorkPending).toBe(true);
    expect(invocationDone).toBe(false);
    writes.open();
    await running;
    expect(invocationDone).toBe(true);
  });

  it('also awaits work deferred while it drains, and work that failed does not fail the invocation', async () => {
    const done: string[] = [];
    const handler = withCallSignal(async (_event: unknown, s, ctx) => {
      const { defer } = callHooks(ctx);
      defer!(() => settle().then(() => {
        done.push('first');
        defer!(() => settle().then(() => { done.push('second'); }));
      }));
      defer!(() => Promise.reject(new Error('reported by its owner')));
      defer!(() => { throw new Error('thrown by its owner'); });
      s.end();
    });
    await handler({}, sink(), context());
    expect(done).toEqual(['first', 'second']);
  });

  it('starts deferred work only once the response stream ended: no store call spends the answer\'s time', async () => {
    const events: string[] = [];
    const stream = new Writable({ write: (_c, _e, done) => { events.push('response bytes'); done(); } });
    stream.once('finish', () => events.push('response ended'));
    const handler = withCallSignal(async (_event: unknown, s, ctx) => {
      callHooks(ctx).defer!(async () => { events.push('bookkeeping started'); });
      events.push('deferred');
      await new Promise<void>((resolve) => s.end('answer', resolve));
    });
    await handler({}, stream, context());
    expect(events).toEqual(['deferred', 'response bytes', 'response ended', 'bookkeeping started']);
  });
});

const catalog = cheapAndPriceyCatalog();

const chunk = (model: string, delta: Record<string, unknown>, finish: 'stop' | null = null): ChatCompletionChunk =>
  ({ id: 'k', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] }) as ChatCompletionChunk;

/** A ledger whose writes wait for `writes` to open; a budget guard that notes settlements. */
function books() {
  const writes = gate();
  const records: CostRecord[] = [];
  const settled: Array<{ requestId: string; usd: number }> = [];
  const released: string[] = [];
  const budget: BudgetGuard = {
    reserve: async (principal, _hold, requestId): Promise<BudgetReservation> => ({ requestId, tenantId: principal.tenantId, keyId: principal.keyId, period: '2026-11', amountUsd: 1 }),
    settle: async (reservation, usd) => { settled.push({ requestId: reservation.requestId, usd }); },
    release: async (reservation) => { released.push(reservation.requestId); },
  };
  const ledger = { record: async (record: CostRecord) => { await writes.opened; records.push(record); } };
  return { writes, records, settled, released, budget, ledger };
}

/** A call context whose deferred work waits, as withCallSignal's does, until `drain` (the response ended). */
function deferring(requestId: string, signal?: AbortSignal): { ctx: ChatCallContext; drain: () => Promise<void>; pending: () => number } {
  const queued: Array<() => Promise<unknown>> = [];
  const running = new Set<Promise<unknown>>();
  let started = false;
  const ctx: ChatCallContext = {
    principal: { tenantId: 't', keyId: 'k' }, requestId, hints: {},
    defer: (w) => { if (started) running.add(w()); else queued.push(w); },
    ...(signal ? { signal } : {}),
  };
  return {
    ctx,
    pending: () => queued.length + running.size,
    drain: async () => {
      started = true;
      for (const w of queued.splice(0)) running.add(w());
      for (let seen = 0; seen !== running.size;) {
        seen = running.size;
        await Promise.all([...running]);
      }
    },
  };
}

const request: ChatRequest = { model: 'auto', messages: [{ role: 'user', content: 'Hello there.' }] };

describe('ChatService with a defer hook', () => {
  it('answers while the cost record is still being written, and settles the hold with the exact cost once it is', async () => {
    const b = books();
    const provider: ProviderClient = {
      providerId: 'pa',
      chat: async (r) => ({ id: 'c', object: 'chat.completion', created: 1, model: r.model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hi.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 } }),
      stream: async function* () { /* unused */ },
    };
    const chat = new ChatService({ catalog, clock: { now: () => Date.now() }, ledger: b.ledger, budget: b.budget, provider: () => provider });
    const call = deferring('r1');

    const routed = await chat.complete(request, call.ctx);
    expect(routed.costUsd).toBeCloseTo(0.002, 10); // 1000 × $1/M + 500 × $2/M
    expect(b.records).toHaveLength(0);
    expect(b.settled).toHaveLength(0);
    expect(call.pending()).toBeGreaterThan(0);

    b.writes.open();
    await call.drain();
    expect(b.records).toHaveLength(1);
    expect(b.records[0]).toMatchObject({ requestId: 'r1', modelId: 'cheap', costUsd: routed.costUsd });
    expect(b.settled).toEqual([{ requestId: 'r1', usd: routed.costUsd }]);
  });

  it('after a failover, both attempts are recorded and the hold is settled once, all after the answer', async () => {
    const b = books();
    const providers: Record<string, ProviderClient> = {
      pa: { providerId: 'pa', chat: async () => { throw new ProviderError('overloaded', { kind: 'server_error', providerId: 'pa' }); }, stream: async function* () { /* unused */ } },
      pb: { providerId: 'pb', chat: async (r) => ({ id: 'c', object: 'chat.completion', created: 1, model: r.model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hi.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 } }), stream: async function* () { /* unused */ } },
    };
    const chat = new ChatService({ catalog, clock: { now: () => Date.now() }, ledger: b.ledger, budget: b.budget, provider: (id) => providers[id]!, sleep: async () => undefined });
    const call = deferring('r2');

    const routed = await chat.complete(request, call.ctx);
    expect(routed.outcome.modelId).toBe('pricey');
    expect(b.settled).toHaveLength(0);

    b.writes.open();
    await call.drain();
    const answered = b.records.filter((r) => r.modelId === 'pricey');
    const refused = b.records.filter((r) => r.modelId === 'cheap');
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({ costUsd: routed.costUsd });
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.ending === 'failed_over' && r.costUsd === 0)).toBe(true);
    expect(b.settled).toEqual([{ requestId: 'r2', usd: routed.costUsd }]);
  });

  it('a stream keeps the invocation open until its relay ended, and a stream nobody reads is billed once the call is cut', async () => {
    const b = books();
    b.writes.open();
    const provider: ProviderClient = {
      providerId: 'pa',
      chat: async () => { throw new Error('unused'); },
      async *stream(r: ChatRequest, options?: ProviderCallOptions) {
        yield chunk(r.model, { role: 'assistant', content: '' });
        yield chunk(r.model, { content: 'Once upon' });
        await new Promise((_resolve, reject) => options?.signal?.addEventListener('abort', () => reject(new ProviderError('aborted', { kind: 'stream_interrupted', providerId: 'pa' })), { once: true }));
      },
    };
    const chat = new ChatService({ catalog, clock: { now: () => Date.now() }, ledger: b.ledger, budget: b.budget, provider: () => provider });
    const controller = new AbortController();
    const call = deferring('r3', controller.signal);

    // Routed, then never read: what a handler that failed after routing leaves behind.
    const routed = await chat.stream({ ...request, stream: true }, call.ctx);
    let drained = false;
    const draining = call.drain().then(() => { drained = true; });
    await settle();
    expect(drained).toBe(false);
    expect(b.records).toHaveLength(0);

    // What withCallSignal does once the response is over with work still pending.
    controller.abort();
    await draining;
    expect(b.records).toHaveLength(1);
    expect(b.records[0]).toMatchObject({ requestId: 'r3', ending: 'client_disconnected' });
    expect(b.settled).toEqual([{ requestId: 'r3', usd: b.records[0]!.costUsd }]);
    await expect(routed.cost).resolves.toBe(b.records[0]!.costUsd);
  });

  it('a streamed answer is relayed to its last chunk before its cost record is written', async () => {
    const b = books();
    const provider: ProviderClient = {
      providerId: 'pa',
      chat: async () => { throw new Error('unused'); },
      async *stream(r: ChatRequest) {
        yield chunk(r.model, { role: 'assistant', content: '' });
        yield chunk(r.model, { content: 'Hello' });
        yield chunk(r.model, {}, 'stop');
      },
    };
    const chat = new ChatService({ catalog, clock: { now: () => Date.now() }, ledger: b.ledger, budget: b.budget, provider: () => provider });
    const call = deferring('r4');

    const routed = await chat.stream({ ...request, stream: true }, call.ctx);
    const got: ChatCompletionChunk[] = [];
    for await (const c of routed.chunks) got.push(c);
    expect(got.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(b.records).toHaveLength(0);

    b.writes.open();
    await call.drain();
    expect(b.records).toHaveLength(1);
    expect(b.records[0]).toMatchObject({ requestId: 'r4', ending: 'complete', modelId: 'cheap' });
    expect(b.settled).toEqual([{ requestId: 'r4', usd: b.records[0]!.costUsd }]);
  });
});

describe('withCallSignal and a client that left before the response', () => {
  it('ends the invocation when the handler writes its answer to the closed stream', async () => {
    const stream = sink();
    const handler = withCallSignal(async (_event: unknown, s) => {
      s.destroy(); // the client left while the call was being routed
      await new Promise((resolve) => setImmediate(resolve));
      s.write('{"error":{}}');
      await new Promise<void>((resolve, reject) => { s.once('error', reject); s.end(resolve); }); // as middy writes a string body
      return 'ended';
    });
    await expect(handler({}, stream, context())).resolves.toBe('ended');
  });
});
