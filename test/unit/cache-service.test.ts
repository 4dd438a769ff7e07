// The cache use case against an in-memory CacheStore: the order of reads, verification before a
// semantic hit, the cosine floor, and the write-retry loop. (The DynamoDB store is tested in
// test/adapters/response-cache.test.ts; this file pins what the core decides.)
import { describe, expect, it } from 'vitest';
import { MAX_SEMANTIC_CHARS, ResponseCacheService } from '#core/cache/response-cache.ts';
import type { LookupStats } from '#core/cache/response-cache.ts';
import type { CacheEntry, CacheStore, SemanticCandidate, SemanticPage, SemanticQuery, StoredAnswer } from '#core/cache/ports.ts';
import type { Embedder } from '#core/cache/embedder.ts';
import type { CachedAnswer } from '#core/cache/ports.ts';
import type { ChatRequest } from '#core/chat/openai-types.ts';

class MemoryStore implements CacheStore {
  readonly entries: CacheEntry[] = [];
  readonly calls: string[] = [];
  /** How many of the next batches leave their last entry unprocessed. */
  throttle = 0;

  async getAnswer(tenantId: string, hash: string): Promise<StoredAnswer | undefined> {
    this.calls.push('get');
    return this.entries.find((e) => e.kind === 'exact' && e.tenantId === tenantId && e.hash === hash);
  }

  async querySemantic(query: SemanticQuery): Promise<SemanticPage> {
    this.calls.push('query');
    const all = (this.entries.filter((e) => e.kind === 'semantic' && e.tenantId === query.tenantId && e.scope === query.scope && e.signature === query.signature) as SemanticCandidate[])
      .sort((a, b) => b.createdAtMs - a.createdAtMs || (a.hash < b.hash ? 1 : -1));
    const start = query.after ? all.findIndex((e) => e.createdAtMs === query.after!.createdAtMs && e.hash === query.after!.hash) + 1 : 0;
    const read = all.slice(start, start + query.limit);
    const last = read.at(-1);
    return {
      candidates: read.filter((e) => e.expiresAt > query.liveAfter),
      ...(read.length === query.limit && last ? { next: { createdAtMs: last.createdAtMs, hash: last.hash } } : {}),
    };
  }

  async writeBatch(entries: readonly CacheEntry[]): Promise<CacheEntry[]> {
    this.calls.push(`write ${entries.length}`);
    if (this.throttle > 0) {
      this.throttle -= 1;
      this.entries.push(...entries.slice(0, -1));
      return entries.slice(-1);
    }
    this.entries.push(...entries);
    return [];
  }
}

const request = (content: string): ChatRequest => ({ model: 'cheap', temperature: 0, messages: [{ role: 'user', content }] });
const answer = (content: string, sourceRequestId = 'req-1'): CachedAnswer => ({
  completion: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] },
  modelId: 'm', providerId: 'p', costUsd: 0.01, match: 'exact', sourceRequestId,
});
/** A two-dimensional embedder: prompts mentioning "please" point elsewhere, so the floor can be exercised. */
const tilted: Embedder = { id: 'tilted', defaultThreshold: 0.9, embed: async (text) => Float32Array.from(/please/i.test(text) ? [0.6, 0.8] : [1, 0]) };
const scope = { tenantId: 't', route: 'cheap' };

function setup(options: Partial<ConstructorParameters<typeof ResponseCacheService>[0]> = {}) {
  const store = new MemoryStore();
  const stats: LookupStats[] = [];
  const sleeps: number[] = [];
  const cache = new ResponseCacheService({ store, semanticByDefault: true, onLookup: (s) => stats.push(s), sleep: async (ms) => { sleeps.push(ms); }, ...options });
  return { store, stats, sleeps, cache };
}

describe('ResponseCacheService', () => {
  it('reads one key for an exact hit, a semantic hit or a miss: the signature key holds the exact answer too', async () => {
    const { store, stats, cache } = setup();
    await cache.store(request('What is the capital of France?'), scope, answer('Paris'));
    store.calls.length = 0;

    await cache.lookup(request('What is the capital of France?'), scope);
    await cache.lookup(request('Tell me the capital of France.'), scope);
    await cache.lookup(request('What is the capital of Spain?'), scope);

    expect(store.calls).toEqual(['query', 'query', 'query']);
    expect(stats.map((s) => [s.match, s.keyReads])).toEqual([['exact', 1], ['semantic', 1], [undefined, 1]]);
  });

  it('reads only the exact key where semantic hits are off', async () => {
    const { store, stats, cache } = setup({ semanticByDefault: false });
    await cache.store(request('What is the capital of France?'), scope, answer('Paris'));
    store.calls.length = 0;

    expect(await cache.lookup(request('What is the capital of France?'), scope)).toMatchObject({ match: 'exact' });
    expect(await cache.lookup(request('Tell me the capital of France.'), scope)).toBeUndefined();

    expect(store.calls).toEqual(['get', 'get']);
    expect(stats.map((s) => s.keyReads)).toEqual([1, 1]);
  });

  it('serves the newest verified candidate with its source request, and refuses unverified ones', async () => {
    const { stats, cache } = setup();
    await cache.store(request('Convert 100 Fahrenheit to Celsius.'), scope, answer('37.8', 'req-f2c'));
    await cache.store(request('Convert 100 Celsius to Fahrenheit.'), scope, answer('212', 'req-c2f'));

    const hit = await cache.lookup(request('Please convert 100 Celsius to Fahrenheit'), scope);

    expect(hit).toMatchObject({ match: 'semantic', sourceRequestId: 'req-c2f' });
    expect(hit?.completion.choices[0]?.message.content).toBe('212');
    expect(stats[0]).toMatchObject({ candidates: 2, refused: 0 });
  });

  it('reads older pages of a crowded signature key, three at most', async () => {
    let clock = 1_000_000;
    const { store, stats, cache } = setup({ candidatesPerLookup: 3, clock: { now: () => (clock += 1000) } });
    const items = ['apples', 'pears', 'plums', 'figs'];
    const orders = items.flatMap((a) => items.filter((b) => b !== a).map((b) => [a, b, ...items.filter((c) => c !== a && c !== b)])).slice(0, 12);
    const text = (o: string[]) => `Rank ${o.slice(0, 3).join(', ')} and ${o[3]} by price.`;
    for (const o of orders) await cache.store(request(text(o)), scope, answer(text(o)));
    store.calls.length = 0;

    // 12 entries under one signature key, 3 per page, newest first.
    const newest = await cache.lookup(request(`Please ${text(orders[11]!)}`), scope);
    const onThirdPage = await cache.lookup(request(`Please ${text(orders[4]!)}`), scope);
    const onFourthPage = await cache.lookup(request(`Please ${text(orders[0]!)}`), scope);

    expect(newest?.completion.choices[0]?.message.content).toBe(text(orders[11]!));
    expect(onThirdPage?.completion.choices[0]?.message.content).toBe(text(orders[4]!));
    expect(onFourthPage).toBeUndefined();
    expect(stats.map((s) => s.keyReads)).toEqual([1, 3, 3]);
    expect(store.calls.filter((c) => c === 'query')).toHaveLength(1 + 3 + 3);
  });

  it('applies a cosine floor on top of verification, and reports the similarity', async () => {
    const floored = setup({ embedder: tilted, routeSettings: () => ({ threshold: 0.9 }) });
    const open = setup({ embedder: tilted });
    for (const { cache } of [floored, open]) await cache.store(request('What is the capital of France?'), scope, answer('Paris'));

    expect(await floored.cache.lookup(request('Please, what is the capital of France?'), scope)).toBeUndefined();
    expect(floored.stats[0]).toMatchObject({ candidates: 1, refused: 1 });
    expect(await floored.cache.lookup(request('Tell me the capital of France'), scope)).toMatchObject({ match: 'semantic', similarity: 1 });
    expect(await open.cache.lookup(request('Please, what is the capital of France?'), scope)).toMatchObject({ match: 'semantic', similarity: expect.closeTo(0.6, 5) });
  });

  it('retries what a batch left unprocessed with backoff, and gives up after five tries without progress', async () => {
    const { store, sleeps, cache } = setup();
    store.throttle = 1;
    await cache.store(request('What is the capital of Peru?'), scope, answer('Lima'));
    expect(store.calls).toEqual(['write 2', 'write 1']);
    expect(sleeps).toEqual([50]);
    expect(store.entries.map((e) => e.kind).sort()).toEqual(['exact', 'semantic']);

    store.throttle = 99;
    await expect(cache.store(request('What is the capital of Chile?'), scope, answer('Santiago'))).rejects.toThrow(/left unprocessed/);
    expect(sleeps.slice(1)).toEqual([50, 100, 200, 400, 800]);
  });

  it('stores no semantic entry for prompts without a meaningful word, long prompts, or when the route turns semantic off', async () => {
    const { store, cache } = setup({ routeSettings: (route) => (route === 'exact-only' ? { semantic: false } : undefined) });
    await cache.store(request('Hello!'), scope, answer('Hi'));
    await cache.store(request('What is the capital of Peru?'), { tenantId: 't', route: 'exact-only' }, answer('Lima'));
    await cache.store(request(`Summarise this: ${'lorem ipsum '.repeat(MAX_SEMANTIC_CHARS / 10)}`), scope, answer('Lorem.'));
    expect(store.entries.map((e) => e.kind)).toEqual(['exact', 'exact', 'exact']);
  });
});
