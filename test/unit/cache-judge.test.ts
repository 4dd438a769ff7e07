// The judge verifier and the judge side of a lookup, in the core: which model is asked (cheapest that
// passes the constraints and health), the strict yes/no reading, the cost record, failures as misses,
// and the samples an entry learns from. Providers here are in-process fakes of the ProviderClient port;
// the HTTP path is covered in test/e2e/cache-judge.test.ts. Route settings: bad values are a clear error.
import { describe, expect, it } from 'vitest';
import { JudgeVerifier, readVerdict } from '#core/cache/judge-verifier.ts';
import { NEAR_SIGNATURE } from '#core/cache/judged-lookup.ts';
import { decodeObservations } from '#core/cache/entry-threshold.ts';
import { ResponseCacheService } from '#core/cache/response-cache.ts';
import type { LookupStats } from '#core/cache/response-cache.ts';
import type { CacheEntry, CacheStore, CachedAnswer, SemanticCandidate, SemanticEntryKey, SemanticPage, SemanticQuery, StoredAnswer } from '#core/cache/ports.ts';
import type { CacheVerifier, VerifyInput, VerifyVerdict } from '#core/cache/verifier.ts';
import type { Embedder } from '#core/cache/embedder.ts';
import { CatalogError, ProviderError } from '#core/shared/errors.ts';
import { CallAborted } from '#core/chat/types.ts';
import type { ChatCompletion, ChatRequest } from '#core/chat/openai-types.ts';
import type { ProviderClient } from '#core/chat/ports.ts';
import type { CostRecord } from '#core/pricing/ports.ts';
import { catalogDoc, catalogOf, modelEntry } from '../support/catalog-fixtures.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';

const completion = (content: string): ChatCompletion => ({
  id: 'c', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 120, completion_tokens: 1, total_tokens: 121 },
});

function judgeSetup(reply: (request: ChatRequest) => Promise<ChatCompletion>, unavailable: string[] = []) {
  const catalog = catalogOf([
    modelEntry('pricey', { pricing: { currency: 'USD', inputPerMTok: 5, outputPerMTok: 10 } }),
    modelEntry('cheapest', { pricing: { currency: 'USD', inputPerMTok: 0.05, outputPerMTok: 0.1 } }),
    modelEntry('cheap', { pricing: { currency: 'USD', inputPerMTok: 0.2, outputPerMTok: 0.4 } }),
  ]);
  const asked: Array<{ model: string; request: ChatRequest }> = [];
  const records: CostRecord[] = [];
  const provider: ProviderClient = {
    providerId: 'p1',
    chat: async (request) => { asked.push({ model: request.model, request }); return reply(request); },
    stream: () => { throw new Error('not used'); },
  };
  let now = 1_000;
  const judge = new JudgeVerifier({
    catalog, provider: () => provider, ledger: { record: async (r) => { records.push(r); return true; } },
    clock: { now: () => (now += 7) }, context: () => ({ unavailable: new Map(unavailable.map((id) => [id, 'circuit open'])) }),
  });
  return { judge, asked, records };
}

const input: VerifyInput = { tenantId: 't1', keyId: 'k1', requestId: 'req-9', prompt: 'How tall is Mont Blanc?', cachedPrompt: "What is Mont Blanc's height?" };

describe('judge verifier', () => {
  it('asks the cheapest healthy model at temperature 0 and records its cost for the tenant, marked as cache verification', async () => {
    const { judge, asked, records } = judgeSetup(async () => completion('Yes'), ['cheapest']);
    const verdict = await judge.verify(input);
    expect(verdict).toMatchObject({ verdict: 'same', modelId: 'cheap' });
    expect(asked.map((a) => a.model)).toEqual(['cheap']);
    expect(asked[0]!.request.temperature).toBe(0);
    expect(JSON.stringify(asked[0]!.request.messages)).toContain("What is Mont Blanc's height?");
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ tenantId: 't1', keyId: 'k1', purpose: 'cache-verification', verifiedRequestId: 'req-9', modelId: 'cheap', cacheHit: false, inputTokens: 120 });
    expect(records[0]!.requestId).not.toBe('req-9');
    expect(records[0]!.costUsd).toBeGreaterThan(0);
    expect(verdict.costUsd).toBe(records[0]!.costUsd);
    expect(verdict.latencyMs).toBeGreaterThan(0);
  });

  it('reads only a bare yes or no; anything else, an error or no eligible model is a failed verdict', async () => {
    expect(readVerdict(' No. ')).toBe('different');
    expect(readVerdict('YES!')).toBe('same');
    expect(readVerdict('yes, mostly')).toBeUndefined();
    expect(readVerdict('')).toBeUndefined();
    expect((await judgeSetup(async () => completion('They are similar')).judge.verify(input)).verdict).toBe('failed');
    const down = judgeSetup(async () => { throw new Error('503'); });
    expect(await down.judge.verify(input)).toMatchObject({ verdict: 'failed', costUsd: 0 });
    expect(down.records).toHaveLength(0);
    const none = judgeSetup(async () => completion('yes'), ['cheapest', 'cheap', 'pricey']);
    expect((await none.judge.verify(input)).verdict).toBe('failed');
    expect(none.asked).toHaveLength(0);
  });
});

/** Semantic entries per (tenant, scope, signature), newest first, with the sample write the DynamoDB store does. */
class Store implements CacheStore {
  readonly entries: CacheEntry[] = [];
  readonly sampleWrites: string[] = [];
  async getAnswer(tenantId: string, hash: string): Promise<StoredAnswer | undefined> {
    return this.entries.find((e) => e.kind === 'exact' && e.tenantId === tenantId && e.hash === hash);
  }
  async querySemantic(q: SemanticQuery): Promise<SemanticPage> {
    const all = this.entries.filter((e) => e.kind === 'semantic' && e.tenantId === q.tenantId && e.scope === q.scope && e.signature === q.signature) as SemanticCandidate[];
    return { candidates: all.sort((a, b) => b.createdAtMs - a.createdAtMs).slice(0, q.limit) };
  }
  async writeBatch(entries: readonly CacheEntry[]): Promise<CacheEntry[]> {
    this.entries.push(...entries.map((e) => ({ ...e })));
    return [];
  }
  async recordObservations(key: SemanticEntryKey, previous: string | undefined, next: string): Promise<void> {
    const entry = this.entries.find((e) => e.kind === 'semantic' && e.signature === key.signature && e.hash === key.hash && e.tenantId === key.tenantId);
    if (entry?.kind !== 'semantic' || entry.observations !== previous) return;
    entry.observations = next;
    this.sampleWrites.push(next);
  }
}

class ScriptedVerifier implements CacheVerifier {
  readonly asked: VerifyInput[] = [];
  private readonly answer: (input: VerifyInput) => VerifyVerdict['verdict'] | Error;
  constructor(answer: (input: VerifyInput) => VerifyVerdict['verdict'] | Error) {
    this.answer = answer;
  }
  async verify(input: VerifyInput): Promise<VerifyVerdict> {
    this.asked.push(input);
    const verdict = this.answer(input);
    if (verdict instanceof Error) throw verdict;
    return verdict === 'failed' ? { verdict, latencyMs: 5, costUsd: 0, reason: 'x' } : { verdict, latencyMs: 5, costUsd: 0.0001, modelId: 'j' };
  }
}

/** Prompts about "alpha" point one way, the rest another: similarity 1 within a group. */
const embedder: Embedder = { id: 'two', defaultThreshold: 0.9, embed: async (text) => Float32Array.from(/alpha/i.test(text) ? [1, 0] : [0, 1]) };
const ask = (content: string): ChatRequest => ({ model: 'r', temperature: 0, messages: [{ role: 'user', content }] });
const cached = (content: string): CachedAnswer => ({ completion: completion(content), modelId: 'm', providerId: 'p', costUsd: 0.01, match: 'exact', sourceRequestId: 'req-1' });

function service(verify: 'judge' | 'differential+judge' | 'differential', verifier: CacheVerifier, store = new Store()) {
  const stats: LookupStats[] = [];
  const cache = new ResponseCacheService({
    store, embedder, verifier, random: () => 0.5, onLookup: (s) => stats.push(s),
    routeSettings: () => ({ semantic: { verify, maxErrorRate: 0.05, minSimilarity: 0.3 } }),
  });
  return { cache, stats, store };
}
const scope = { tenantId: 't1', route: 'r', requestId: 'req-2', keyId: 'k1' };

describe('judge verifier and the request\'s abort signal', () => {
  /** Two judge models; the provider answers only when the signal aborts, as a real adapter does: a ProviderError. */
  function cutSetup() {
    const catalog = catalogOf([
      modelEntry('cheapest', { pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 1 } }),
      modelEntry('cheap', { pricing: { currency: 'USD', inputPerMTok: 2, outputPerMTok: 2 } }),
    ]);
    const asked: string[] = [];
    const outcomes: Array<[string, string]> = [];
    const records: CostRecord[] = [];
    const holds = { reserved: 0, settled: [] as number[], released: 0 };
    const client = new AbortController();
    const provider: ProviderClient = {
      providerId: 'p1',
      chat: (request, options) => new Promise((_resolve, reject) => {
        asked.push(request.model);
        const cut = () => reject(new ProviderError('p1 call aborted', { kind: 'connection', providerId: 'p1' }));
        if (options?.signal?.aborted) cut();
        options?.signal?.addEventListener('abort', cut, { once: true });
        // The client leaves once the judge's call is under way.
        queueMicrotask(() => client.abort(new CallAborted('client_disconnected')));
      }),
      stream: () => { throw new Error('not used'); },
    };
    const judge = new JudgeVerifier({
      catalog, provider: () => provider, ledger: { record: async (r) => { records.push(r); return true; } }, clock: { now: () => Date.now() },
      maxAttempts: 2,
      health: { recordOutcome: (id, kind) => { outcomes.push([id, kind]); } },
      budget: {
        reserve: async (principal, hold, requestId) => {
          holds.reserved += 1;
          return { requestId, tenantId: principal.tenantId, keyId: principal.keyId, amountUsd: Number(hold), period: '2026-11' };
        },
        settle: async (_r, costUsd) => { holds.settled.push(costUsd); },
        release: async () => { holds.released += 1; },
      },
    });
    return { judge, asked, outcomes, records, holds, client };
  }

  it('cuts the judge call when the client leaves: its prompt billed as an abandoned call, the hold settled to it, no breaker failure, no second judge', async () => {
    const { judge, asked, outcomes, records, holds, client } = cutSetup();

    const verdict = await judge.verify({ ...input, signal: client.signal });

    expect(verdict).toMatchObject({ verdict: 'failed', reason: 'the client left before a verdict' });
    expect(asked).toEqual(['cheapest']);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ modelId: 'cheapest', ending: 'client_disconnected', outputTokens: 0, purpose: 'cache-verification' });
    expect(records[0]!.inputTokens).toBeGreaterThan(0);
    expect(records[0]!.costUsd).toBeCloseTo(records[0]!.inputTokens * 1e-6, 12);
    expect(verdict.costUsd).toBe(records[0]!.costUsd);
    expect(holds).toEqual({ reserved: 1, settled: [records[0]!.costUsd], released: 0 });
    expect(outcomes).toEqual([]);
  });

  it('asks no judge and holds nothing for a client already gone', async () => {
    const { judge, asked, records, holds, client } = cutSetup();
    client.abort(new CallAborted('client_disconnected'));

    expect(await judge.verify({ ...input, signal: client.signal })).toMatchObject({ verdict: 'failed', costUsd: 0 });
    expect(asked).toEqual([]);
    expect(records).toEqual([]);
    expect(holds.reserved).toBe(0);
  });
});

describe('judge side of a lookup', () => {
  it('serves what the judge accepts, with the similarity and source, and writes the verdict as a sample of the entry', async () => {
    const verifier = new ScriptedVerifier(() => 'same');
    const { cache, store, stats } = service('differential+judge', verifier);
    await cache.store(ask('Who designed the alpha tower?'), scope, cached('Gustave.'));
    expect(store.entries.filter((e) => e.kind === 'semantic' && e.signature === NEAR_SIGNATURE)).toHaveLength(1);
    const hit = await cache.lookup(ask('Who was the architect of the alpha tower?'), scope);
    expect(hit).toMatchObject({ match: 'semantic', verifiedBy: 'judge', sourceRequestId: 'req-1', similarity: 1 });
    expect(verifier.asked[0]).toMatchObject({ tenantId: 't1', requestId: 'req-2', cachedPrompt: 'Who designed the alpha tower?' });
    expect(decodeObservations(store.sampleWrites.at(-1))).toEqual([[1, 1]]);
    expect(stats.at(-1)!.judge).toMatchObject({ judgeCalls: 1, verdict: 'same', decision: 'verify' });
  });

  it('misses on a no, a failure or a thrown verifier, and below the similarity floor without asking', async () => {
    for (const answer of ['different', 'failed', new Error('boom')] as const) {
      const { cache } = service('judge', new ScriptedVerifier(() => answer));
      await cache.store(ask('Who designed the alpha tower?'), scope, cached('Gustave.'));
      expect(await cache.lookup(ask('Who demolished the alpha tower?'), scope)).toBeUndefined();
    }
    const verifier = new ScriptedVerifier(() => 'same');
    const { cache } = service('judge', verifier);
    await cache.store(ask('Who designed the alpha tower?'), scope, cached('Gustave.'));
    expect(await cache.lookup(ask('Who designed the beta bridge?'), scope)).toBeUndefined();
    expect(verifier.asked).toHaveLength(0);
  });

  it('serves from the learned threshold without a judge call once the entry has enough mixed samples', async () => {
    const verifier = new ScriptedVerifier(() => 'same');
    const { cache, store, stats } = service('judge', verifier);
    await cache.store(ask('Who designed the alpha tower?'), scope, cached('Gustave.'));
    const near = store.entries.find((e) => e.kind === 'semantic' && e.signature === NEAR_SIGNATURE)!;
    // A full history (48 samples): wrong below 0.6, right from 0.9 up.
    const samples = [...Array.from({ length: 8 }, (_, i) => `${(0.4 + i * 0.025).toFixed(3)}:0`), ...Array.from({ length: 40 }, (_, i) => `${(0.9 + i * 0.0025).toFixed(3)}:1`)];
    if (near.kind === 'semantic') near.observations = samples.join(',');
    const hit = await cache.lookup(ask('Who was the architect of the alpha tower?'), scope);
    expect(hit).toMatchObject({ verifiedBy: 'threshold', match: 'semantic' });
    expect(verifier.asked).toHaveLength(0);
    expect(stats.at(-1)!.judge).toMatchObject({ judgeCalls: 0, decision: 'serve' });
  });

  it('never puts a number of another value or a one-sided negation to the judge in differential+judge mode', async () => {
    const verifier = new ScriptedVerifier(() => 'same');
    const { cache, stats } = service('differential+judge', verifier);
    await cache.store(ask('How many legs do 3 alpha spiders have?'), scope, cached('24.'));
    expect(await cache.lookup(ask('How many legs do four alpha spiders have in total?'), scope)).toBeUndefined();
    expect(await cache.lookup(ask('Which alpha spiders do not have 24 legs?'), scope)).toBeUndefined();
    expect(verifier.asked).toHaveLength(0);
    expect(stats.at(-1)!.judge?.decision).toBe('guarded');
    // The same words around the same number are put to the judge.
    expect(await cache.lookup(ask('Three alpha spiders: how many legs in total?'), scope)).toMatchObject({ verifiedBy: 'judge' });
    // "judge" alone has no guard: the judge rules on everything.
    const judgeOnly = service('judge', verifier);
    await judgeOnly.cache.store(ask('How many legs do 3 alpha spiders have?'), scope, cached('24.'));
    expect(await judgeOnly.cache.lookup(ask('How many legs do four alpha spiders have?'), scope)).toMatchObject({ verifiedBy: 'judge' });
  });

  it('never asks a judge on the default (differential) setting', async () => {
    const verifier = new ScriptedVerifier(() => 'same');
    const { cache, store } = service('differential', verifier);
    await cache.store(ask('Who designed the alpha tower?'), scope, cached('Gustave.'));
    expect(await cache.lookup(ask('Who was the architect of the alpha tower?'), scope)).toBeUndefined();
    expect(verifier.asked).toHaveLength(0);
    expect(store.entries.some((e) => e.kind === 'semantic' && e.signature === NEAR_SIGNATURE)).toBe(false);
  });
});

describe('route setting cache.semantic', () => {
  const withRoute = (cache: unknown) => catalogDoc({ routes: { r: { strategy: 'cost-first', cache } } });
  it('accepts the object form and refuses bad values naming the field', () => {
    expect(parseCatalog(withRoute({ semantic: { verify: 'differential+judge', maxErrorRate: 0.01 } })).routes['r']?.cache?.semantic).toMatchObject({ verify: 'differential+judge' });
    expect(() => parseCatalog(withRoute({ semantic: { verify: 'oracle' } }))).toThrow(/routes\.r\.cache\.semantic/);
    expect(() => parseCatalog(withRoute({ semantic: { maxErrorRate: 1.5 } }))).toThrow(CatalogError);
    expect(() => parseCatalog(withRoute({ semantic: { verify: 'judge', delta: 0.1 } }))).toThrow(CatalogError);
  });
});
