// EmbeddingService with fake upstream clients: failover between deployments of one embedding model,
// the kind filter, the tenant-scoped cache key, budget release on failure.
import { describe, expect, it } from 'vitest';
import { EmbeddingService, embeddingCacheKey } from '#core/embeddings/embedding-service.ts';
import type { CachedEmbeddings, EmbeddingCache, EmbeddingsClient } from '#core/embeddings/ports.ts';
import type { CostRecord, CostLedger } from '#core/pricing/ports.ts';
import { ProviderError } from '#core/shared/errors.ts';
import { catalogOf, modelEntry } from './routing-fixtures.ts';

const catalog = catalogOf([
  modelEntry('chat-a'),
  modelEntry('emb-1', { kind: 'embedding', group: 'emb', maxOutputTokens: 1, pricing: { currency: 'USD', inputPerMTok: 0.02, outputPerMTok: 0 } }),
  modelEntry('emb-2', { kind: 'embedding', group: 'emb', provider: 'p2', maxOutputTokens: 1, pricing: { currency: 'USD', inputPerMTok: 0.02, outputPerMTok: 0 } }),
], { providers: [
  { id: 'p1', kind: 'openai-compatible', baseUrl: 'https://one.example.com/v1' },
  { id: 'p2', kind: 'openai-compatible', baseUrl: 'https://two.example.com/v1' },
] });

function setup(failFirst: boolean) {
  const calls: string[] = [];
  const records: CostRecord[] = [];
  const ledger: CostLedger = { record: async (r) => { records.push(r); } };
  let failed = false;
  const client = (providerId: string): EmbeddingsClient => ({
    embed: async (call) => {
      calls.push(`${providerId}:${call.model}`);
      if (failFirst && !failed) {
        failed = true;
        throw new ProviderError('timed out', { kind: 'timeout', providerId });
      }
      return { vectors: call.input.map((_, i) => [i, 1]), promptTokens: 10 * call.input.length };
    },
  });
  const stored = new Map<string, CachedEmbeddings>();
  const cache: EmbeddingCache = {
    get: async (tenant, key) => stored.get(`${tenant}/${key}`),
    put: async (tenant, key, entry) => { stored.set(`${tenant}/${key}`, entry); },
  };
  const service = new EmbeddingService({
    catalog, embeddings: client, ledger, cache, clock: { now: () => 1_800_000_000_000 }, sleep: async () => undefined, random: () => 0,
  });
  return { service, calls, records };
}

const ctx = (tenantId: string) => ({ principal: { tenantId, keyId: 'key_1' }, requestId: `r-${tenantId}`, hints: {} });

describe('EmbeddingService', () => {
  it('fails over (timeout) to another deployment of the same embedding model and bills the answering one', async () => {
    const { service, calls, records } = setup(true);
    const routed = await service.embed({ model: 'emb', input: ['a', 'b'] }, ctx('t1'));
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((c) => c.split(':')[0])).size).toBe(2);
    expect(routed.vectors).toEqual([[0, 1], [1, 1]]);
    expect(routed.outcome.attempts).toBe(2);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ modelId: routed.modelId, inputTokens: 20, outputTokens: 0, cacheHit: false });
    expect(records[0]!.costUsd).toBeCloseTo(20 * 0.02 / 1e6, 12);
  });

  it('serves a repeat from the same tenant\'s cache only', async () => {
    const { service, calls } = setup(false);
    await service.embed({ model: 'emb', input: 'x' }, ctx('t1'));
    const hit = await service.embed({ model: 'emb', input: 'x' }, ctx('t1'));
    expect(hit.outcome.cache).toBe('hit');
    expect(hit.costUsd).toBe(0);
    const other = await service.embed({ model: 'emb', input: 'x' }, ctx('t2'));
    expect(other.outcome.cache).toBe('miss');
    expect(calls).toHaveLength(2);
  });

  it('never routes to a chat model, and keys the cache by model, dimensions and input', async () => {
    const { service } = setup(false);
    await expect(service.embed({ model: 'chat-a', input: 'x' }, ctx('t1'))).rejects.toMatchObject({ code: 'no_model_available' });
    const base = embeddingCacheKey({ model: 'emb', input: 'x' });
    expect(embeddingCacheKey({ model: 'emb', input: ['x'] })).toBe(base);
    expect(embeddingCacheKey({ model: 'emb-1', input: 'x' })).not.toBe(base);
    expect(embeddingCacheKey({ model: 'emb', input: 'x', dimensions: 256 })).not.toBe(base);
    expect(embeddingCacheKey({ model: 'emb', input: ['x', 'y'] })).not.toBe(embeddingCacheKey({ model: 'emb', input: ['x\ny'] }));
  });
});
