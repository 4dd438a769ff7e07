// The judge modes on the DynamoDB stores: an entry is also filed under its scope's near key in the same
// batch write; a judge's verdict is written back to that item as a sample (conditional UpdateItem), read
// back with the next lookup's Query; a stale update loses to a concurrent one instead of overwriting it.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCacheStore, DynamoResponseCache } from '#adapters/dynamodb/response-cache.ts';
import type { LookupStats } from '#adapters/dynamodb/response-cache.ts';
import { cacheTable } from '#contracts/tables.ts';
import { NEAR_SIGNATURE } from '#core/cache/judged-lookup.ts';
import { LocalEmbedder } from '#core/cache/local-embedder.ts';
import type { CachedAnswer } from '#core/cache/ports.ts';
import type { CacheVerifier, VerifyInput, VerifyVerdict } from '#core/cache/verifier.ts';
import type { ChatRequest } from '#core/chat/openai-types.ts';
import { dynamoBackends } from '../support/dynamodb-backends.ts';
import { useDynamoBackend } from '../support/use-dynamo-backend.ts';

const request = (content: string): ChatRequest => ({ model: 'judged', temperature: 0, messages: [{ role: 'user', content }] });
const answer: CachedAnswer = {
  completion: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }] },
  modelId: 'm', providerId: 'p', costUsd: 0.001, match: 'exact', sourceRequestId: 'req-src',
};
/** Says yes to everything and counts its calls (the verdicts are the test's labels). */
class Yes implements CacheVerifier {
  calls: VerifyInput[] = [];
  async verify(input: VerifyInput): Promise<VerifyVerdict> {
    this.calls.push(input);
    return { verdict: 'same', latencyMs: 1, costUsd: 0, modelId: 'j' };
  }
}

describe.each(dynamoBackends)('cache judge samples on $name', ({ start }) => {
  let tableName: string;
  const backend = useDynamoBackend(start, (b) => { tableName = b.tableNames[cacheTable.name]!; });

  it('files the entry under the near key in the same write and keeps each verdict as a sample on it', async () => {
    const verifier = new Yes();
    const stats: LookupStats[] = [];
    const cache = new DynamoResponseCache({
      client: backend.store, tableName, embedder: new LocalEmbedder(), verifier, random: () => 0.5, onLookup: (s) => stats.push(s),
      routeSettings: () => ({ semantic: { verify: 'judge', minSimilarity: -1 } }),
    });
    const scope = { tenantId: 'judged', route: 'judged', requestId: 'req-1' };
    await cache.store(request('What is the capital city of France?'), scope, answer);
    const near = async () => {
      const { Items = [] } = await backend.documents.send(new ScanCommand({ TableName: tableName }));
      return Items.filter((i) => String(i['pk']).startsWith('SEM#judged#') && String(i['pk']).endsWith(`#${NEAR_SIGNATURE}`));
    };
    expect(await near()).toHaveLength(1);
    expect((await near())[0]!['obs']).toBeUndefined();

    expect(await cache.lookup(request('Which city is the capital of France?'), { ...scope, requestId: 'req-2' })).toMatchObject({ match: 'semantic', verifiedBy: 'judge', sourceRequestId: 'req-src' });
    expect(await cache.lookup(request('France has which city as its capital?'), { ...scope, requestId: 'req-3' })).toMatchObject({ verifiedBy: 'judge' });
    expect(verifier.calls).toHaveLength(2);
    const samples = String((await near())[0]!['obs']).split(',');
    expect(samples).toHaveLength(2);
    expect(samples.every((s) => /^-?\d\.\d{3}:1$/.test(s))).toBe(true);
    // Exact miss, signature path skipped in "judge" mode, one near Query: two key reads.
    expect(stats.at(-1)!.keyReads).toBe(2);
  });

  it('drops a sample written over samples another lookup changed meanwhile', async () => {
    const store = new DynamoCacheStore(backend.store, tableName);
    const cache = new DynamoResponseCache({
      client: backend.store, tableName, embedder: new LocalEmbedder(), verifier: new Yes(), routeSettings: () => ({ semantic: { verify: 'judge' } }),
    });
    const scope = { tenantId: 'race', route: 'judged' };
    await cache.store(request('How many moons does Mars have?'), scope, answer);
    const { candidates } = await store.querySemantic({ tenantId: 'race', scope: (await scopeOf(store, 'race')), signature: NEAR_SIGNATURE, limit: 5, liveAfter: 0 });
    const entry = candidates[0]!;
    const key = { tenantId: 'race', scope: await scopeOf(store, 'race'), signature: NEAR_SIGNATURE, createdAtMs: entry.createdAtMs, hash: entry.hash };
    await store.recordObservations(key, undefined, '0.900:1');
    await store.recordObservations(key, undefined, '0.100:0');
    await store.recordObservations(key, '0.900:1', '0.900:1,0.800:1');
    const after = await store.querySemantic({ tenantId: 'race', scope: key.scope, signature: NEAR_SIGNATURE, limit: 5, liveAfter: 0 });
    expect(after.candidates[0]!.observations).toBe('0.900:1,0.800:1');
  });

  /** The scope hash of the only near partition a tenant has (read from the table). */
  async function scopeOf(_store: DynamoCacheStore, tenantId: string): Promise<string> {
    const { Items = [] } = await backend.documents.send(new ScanCommand({ TableName: tableName }));
    const pk = Items.map((i) => String(i['pk'])).find((p) => p.startsWith(`SEM#${tenantId}#`) && p.endsWith(`#${NEAR_SIGNATURE}`))!;
    return pk.split('#')[2]!;
  }
});
