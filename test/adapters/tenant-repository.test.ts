// The tenant repository (what the admin CLI uses) against dynalite, checked against the router's own
// readers and writers of the tenants table: the key store authenticates and refuses the keys it
// writes, and the overview reads the counters the budget guard keeps. One key layout, both sides.
import { describe, expect, it } from 'vitest';
import { DynamoBudgetGuard } from '#adapters/dynamodb/budget-guard.ts';
import { DynamoKeyStore } from '#adapters/dynamodb/key-store.ts';
import { TenantExistsError, TenantRepository } from '#adapters/dynamodb/tenant-repository.ts';
import { tenantTable } from '#contracts/tables.ts';
import { tenantItemKind, tenantTableKeys } from '#contracts/tenant-table.ts';
import { generateApiKey, hashApiKey, keyIdFromHash } from '#core/auth/api-keys.ts';
import { startDynalite } from '../support/dynalite-backend.ts';
import { useDynamoBackend } from '../support/use-dynamo-backend.ts';

const NOW = Date.parse('2026-11-26T10:00:00.000Z');

describe('tenant table key shapes', () => {
  it('parses back every sort key it builds', () => {
    expect(tenantItemKind(tenantTableKeys.profile('t').sk)).toEqual({ kind: 'profile' });
    expect(tenantItemKind(tenantTableKeys.tenantBudget('t').sk)).toEqual({ kind: 'budget' });
    expect(tenantItemKind(tenantTableKeys.keyBudget('t', 'key_0123456789ab').sk)).toEqual({ kind: 'budget', keyId: 'key_0123456789ab' });
    expect(tenantItemKind(tenantTableKeys.tenantSpendSk('2026-11'))).toEqual({ kind: 'spend', period: '2026-11' });
    expect(tenantItemKind(tenantTableKeys.keySpendSk('key_0123456789ab', '2026-11'))).toEqual({ kind: 'spend', keyId: 'key_0123456789ab', period: '2026-11' });
    expect(tenantItemKind(tenantTableKeys.cacheSettings('t').sk)).toEqual({ kind: 'cache' });
    expect(tenantItemKind('SOMETHING-ELSE')).toEqual({ kind: 'other' });
    expect(tenantTableKeys.keyHashOfPk(tenantTableKeys.apiKeyPk('abc'))).toBe('abc');
  });
});

describe('TenantRepository on dynalite', () => {
  let repo: TenantRepository;
  let table: string;
  const backend = useDynamoBackend(startDynalite, (b) => {
    table = b.tableNames[tenantTable.name]!;
    repo = new TenantRepository(b.store, table);
  });

  it('stores keys the router authenticates, finds them by id, and revokes them for the router too', async () => {
    await repo.putTenant({ tenantId: 'acme', name: 'Acme', createdAt: '2026-11-26T09:00:00.000Z' });
    await expect(repo.putTenant({ tenantId: 'acme', name: 'again' })).rejects.toBeInstanceOf(TenantExistsError);
    const key = generateApiKey();
    const keyHash = hashApiKey(key);
    const keyId = keyIdFromHash(keyHash);
    await repo.putKey({ tenantId: 'acme', keyId, keyHash, createdAt: '2026-11-26T09:01:00.000Z' });

    expect(await new DynamoKeyStore({ tableName: table, client: backend.store }).authenticate(key)).toMatchObject({ tenantId: 'acme', keyId });
    expect(await repo.findKey(keyId)).toEqual({ keyHash, tenantId: 'acme' });
    expect(await repo.revokeKey(keyHash, '2026-11-26T09:02:00.000Z')).toBe(true);
    expect(await repo.revokeKey(hashApiKey(generateApiKey()), 'x')).toBe(false);
    expect(await new DynamoKeyStore({ tableName: table, client: backend.store }).authenticate(key)).toBeUndefined();
    expect(await repo.keysOf('acme')).toEqual([expect.objectContaining({ keyId, revoked: true, revokedAt: '2026-11-26T09:02:00.000Z' })]);
  });

  it("reads the budget guard's budgets and counters: spent, held and calls per tenant and per key", async () => {
    await repo.putTenant({ tenantId: 'globex', name: 'Globex' });
    const keyHash = hashApiKey(generateApiKey());
    const keyId = keyIdFromHash(keyHash);
    await repo.putKey({ tenantId: 'globex', keyId, keyHash, createdAt: '2026-11-26T09:00:00.000Z' });
    await repo.setBudget('globex', { monthlyUsd: 10, preferCheaperAt: 0.8 }, 'now');
    await repo.setBudget('globex', { monthlyUsd: 2, keyId }, 'now');

    const guard = new DynamoBudgetGuard({ tableName: table, client: backend.store, clock: { now: () => NOW } });
    const settled = await guard.reserve({ tenantId: 'globex', keyId }, 0.5, 'r1');
    await guard.settle(settled!, 0.25);
    await guard.reserve({ tenantId: 'globex', keyId }, 0.125, 'r2'); // still in flight

    const overview = await repo.overview('globex');
    expect(overview?.budget).toEqual({ monthlyUsd: 10, preferCheaperAt: 0.8 });
    expect(overview?.keyBudgets.get(keyId)).toEqual({ monthlyUsd: 2 });
    expect(overview?.spend).toEqual([{ period: '2026-11', spentUsd: 0.25, reservedUsd: 0.125, limitUsd: 10, calls: 1 }]);
    expect(overview?.keySpend.get(keyId)).toEqual([{ period: '2026-11', spentUsd: 0.25, reservedUsd: 0.125, limitUsd: 2, calls: 1 }]);
    expect(overview?.keys.map((k) => k.keyId)).toEqual([keyId]);
    expect(await repo.overview('nobody')).toBeUndefined();

    const listed = await repo.listTenants('2026-11');
    expect(listed.map((t) => [t.tenantId, t.budget?.monthlyUsd, t.spend?.spentUsd, t.activeKeys, t.revokedKeys])).toEqual([
      ['acme', undefined, undefined, 0, 1],
      ['globex', 10, 0.25, 1, 0],
    ]);
    expect((await repo.listTenants('2026-10')).find((t) => t.tenantId === 'globex')?.spend).toBeUndefined();
  });
});
