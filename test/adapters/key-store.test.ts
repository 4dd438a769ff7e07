// DynamoKeyStore against dynalite: lookups by hash, revocation, the 60 s cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { standInDocumentStore } from '#local/stand-in-documents.ts';
import { DynamoKeyStore } from '#adapters/dynamodb/key-store.ts';
import { generateApiKey, hashApiKey, keyIdFromHash } from '#core/auth/api-keys.ts';
import { startTenantTable, type TenantTableFixture } from '../support/tenant-table.ts';

let table: TenantTableFixture;
beforeAll(async () => {
  table = await startTenantTable();
});
afterAll(async () => {
  await table?.close();
});

/** Counts GetItem calls through a client wrapper. */
function countingClient() {
  const wire = standInDocumentStore(table.endpoint);
  let calls = 0;
  const documents: DynamoDocuments = {
    send: (command) => {
      calls += 1;
      return wire.send(command);
    },
  };
  return { documents, calls: () => calls };
}

describe('DynamoKeyStore', () => {
  it('resolves a stored key to its tenant and key id', async () => {
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'acme', keyId: 'key_custom' });
    const store = new DynamoKeyStore({ tableName: table.tableName, client: table.store });
    expect(await store.authenticate(key)).toEqual({ tenantId: 'acme', keyId: 'key_custom' });
  });

  it('derives the key id from the hash when the item has none', async () => {
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'globex' });
    const store = new DynamoKeyStore({ tableName: table.tableName, client: table.store });
    expect(await store.authenticate(key)).toEqual({ tenantId: 'globex', keyId: keyIdFromHash(hashApiKey(key)) });
  });

  it('rejects unknown, revoked and malformed keys', async () => {
    const revoked = generateApiKey();
    await table.putKey(revoked, { tenantId: 'acme', revoked: true });
    const store = new DynamoKeyStore({ tableName: table.tableName, client: table.store });
    expect(await store.authenticate(generateApiKey())).toBeUndefined();
    expect(await store.authenticate(revoked)).toBeUndefined();
    expect(await store.authenticate('sk-lr-short')).toBeUndefined();
    expect(await store.authenticate('')).toBeUndefined();
  });

  it('does not query DynamoDB for malformed keys', async () => {
    const { documents, calls } = countingClient();
    const store = new DynamoKeyStore({ tableName: table.tableName, client: documents });
    await store.authenticate('not-a-key');
    expect(calls()).toBe(0);
  });

  it('caches hits and misses for 60 s, then reads again (revocation takes effect)', async () => {
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'acme' });
    let now = 1_000_000;
    const { documents, calls } = countingClient();
    const store = new DynamoKeyStore({ tableName: table.tableName, client: documents, clock: { now: () => now } });

    expect(await store.authenticate(key)).toMatchObject({ tenantId: 'acme' });
    await table.putKey(key, { tenantId: 'acme', revoked: true });
    now += 59_000;
    expect(await store.authenticate(key)).toMatchObject({ tenantId: 'acme' });
    expect(calls()).toBe(1);

    now += 2_000;
    expect(await store.authenticate(key)).toBeUndefined();
    expect(calls()).toBe(2);

    const unknown = generateApiKey();
    await store.authenticate(unknown);
    await store.authenticate(unknown);
    expect(calls()).toBe(3);
  });

  it('bounds the cache', async () => {
    const { documents, calls } = countingClient();
    const store = new DynamoKeyStore({ tableName: table.tableName, client: documents, maxCacheEntries: 2 });
    const [a, b, c] = [generateApiKey(), generateApiKey(), generateApiKey()];
    for (const key of [a, b, c, a]) await store.authenticate(key);
    expect(calls()).toBe(4); // `a` was evicted by `c`
  });
});
