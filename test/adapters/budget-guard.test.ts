// DynamoBudgetGuard against both DynamoDB stand-ins: conditional counters, per-tenant and per-key
// budgets, the default budget, and no writes at all for tenants without a budget.
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoBudgetGuard } from '#adapters/dynamodb/budget-guard.ts';
import { readBudgetConfig } from '#handlers/shared/config.ts';

/** The default monthly budget as the router's config root parses it. */
const defaultMonthlyBudgetFrom = (env: Record<string, string>) => readBudgetConfig(env).defaultMonthlyUsd;
import type { DynamoBudgetGuardOptions } from '#adapters/dynamodb/budget-guard.ts';
import { tenantTable } from '#contracts/tables.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { BudgetExceededError } from '#core/budget/budget.ts';
import { dynamoBackends } from '../support/dynamodb-backends.ts';
import { useDynamoBackend } from '../support/use-dynamo-backend.ts';

const NOW = Date.parse('2026-11-26T10:00:00.000Z');
const clock = { now: () => NOW };

describe.each(dynamoBackends)('DynamoBudgetGuard on $name', ({ start }) => {
  let table: string;
  const backend = useDynamoBackend(start, (b) => { table = b.tableNames[tenantTable.name]!; });

  const guard = (options: Partial<DynamoBudgetGuardOptions> = {}) =>
    new DynamoBudgetGuard({ tableName: table, client: backend.store, clock, ...options });
  const setBudget = (tenantId: string, monthlyUsd: number, keyId?: string) => backend.documents.send(new PutCommand({
    TableName: table,
    Item: { pk: tenantTableKeys.tenantPk(tenantId), sk: keyId ? tenantTableKeys.keyBudgetSk(keyId) : tenantTableKeys.tenantBudgetSk, monthlyUsd },
  }));
  const counter = async (tenantId: string, keyId?: string) => (await backend.documents.send(new GetCommand({
    TableName: table,
    Key: { pk: tenantTableKeys.tenantPk(tenantId), sk: keyId ? tenantTableKeys.keySpendSk(keyId, '2026-11') : tenantTableKeys.tenantSpendSk('2026-11') },
  }))).Item;
  const items = async (tenantId: string) => (await backend.documents.send(new QueryCommand({
    TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': tenantTableKeys.tenantPk(tenantId) },
  }))).Items ?? [];

  it('returns undefined and writes nothing when no budget applies', async () => {
    const reservation = await guard().reserve({ tenantId: 'free', keyId: 'key_a' }, 0.5, 'r1');
    expect(reservation).toBeUndefined();
    expect(await items('free')).toEqual([]);
  });

  it('holds, settles and releases against the monthly counter', async () => {
    await setBudget('t1', 1);
    const g = guard();
    const a = await g.reserve({ tenantId: 't1', keyId: 'key_a' }, 0.4, 'a');
    const b = await g.reserve({ tenantId: 't1', keyId: 'key_a' }, 0.3, 'b');
    expect(a).toMatchObject({ period: '2026-11', amountUsd: 0.4, tenantId: 't1', keyId: 'key_a', requestId: 'a' });
    expect(await counter('t1')).toMatchObject({ reservedUsd: 0.7, committedUsd: 0.7, limitUsd: 1 });

    await g.settle(a!, 0.1234567891);
    await g.release(b!);
    const after = await counter('t1');
    expect(after?.['reservedUsd']).toBeCloseTo(0, 12);
    expect(after?.['spentUsd']).toBe(0.1234567891);
    expect(after?.['committedUsd']).toBe(0.1234567891);
    expect(after?.['calls']).toBe(1);
  });

  it('throws 429 insufficient_quota naming the tenant budget and the period', async () => {
    await setBudget('t2', 0.5);
    const g = guard();
    await g.reserve({ tenantId: 't2', keyId: 'key_a' }, 0.3, 'a');
    const error = await g.reserve({ tenantId: 't2', keyId: 'key_a' }, 0.3, 'b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({ status: 429, type: 'insufficient_quota', code: 'insufficient_quota', scope: 'tenant', period: '2026-11' });
    expect((error as Error).message).toContain("tenant 't2'");
    expect((error as Error).message).toContain('2026-11');
    expect((await counter('t2'))?.['reservedUsd']).toBe(0.3);
  });

  it('enforces a key budget inside the tenant budget and gives back the tenant hold when the key is over', async () => {
    await setBudget('t3', 10);
    await setBudget('t3', 0.2, 'key_small');
    const g = guard();
    const first = await g.reserve({ tenantId: 't3', keyId: 'key_small' }, 0.15, 'a');
    expect((first as { scopes?: string[] }).scopes).toEqual(['tenant', 'key']);
    const error = await g.reserve({ tenantId: 't3', keyId: 'key_small' }, 0.15, 'b').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, scope: 'key' });
    expect((error as Error).message).toContain("API key 'key_small'");
    expect((await counter('t3'))?.['reservedUsd']).toBeCloseTo(0.15, 12);
    expect((await counter('t3', 'key_small'))?.['reservedUsd']).toBeCloseTo(0.15, 12);
    // Another key of the same tenant only counts against the tenant budget.
    const other = await g.reserve({ tenantId: 't3', keyId: 'key_other' }, 0.15, 'c');
    expect((other as { scopes?: string[] }).scopes).toEqual(['tenant']);
  });

  it('applies the default monthly budget to tenants without their own', async () => {
    const g = guard({ defaultMonthlyUsd: 0.1 });
    await g.reserve({ tenantId: 'defaulted', keyId: 'k' }, 0.06, 'a');
    await expect(g.reserve({ tenantId: 'defaulted', keyId: 'k' }, 0.06, 'b')).rejects.toMatchObject({ status: 429 });
    expect(defaultMonthlyBudgetFrom({ ROUTER_DEFAULT_MONTHLY_BUDGET_USD: '250.5' })).toBe(250.5);
    expect(defaultMonthlyBudgetFrom({ ROUTER_DEFAULT_MONTHLY_BUDGET_USD: '' })).toBeUndefined();
    expect(() => defaultMonthlyBudgetFrom({ ROUTER_DEFAULT_MONTHLY_BUDGET_USD: 'lots' })).toThrow(/ROUTER_DEFAULT_MONTHLY_BUDGET_USD/);
  });

  it('never holds more than the budget under 40 concurrent reservations from separate guards', async () => {
    await setBudget('race', 1);
    const guards = Array.from({ length: 4 }, () => guard());
    const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) =>
      guards[i % 4]!.reserve({ tenantId: 'race', keyId: 'k' }, 0.07, `r${i}`)));
    const held = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(held).toBe(14); // floor(1 / 0.07)
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof BudgetExceededError)).toBe(true);
    expect((await counter('race'))?.['reservedUsd']).toBeCloseTo(0.98, 10);
  });

  it('remembers "no budget" for a while, then sees a new budget', async () => {
    let now = NOW;
    const g = guard({ clock: { now: () => now }, configTtlMs: 60_000 });
    expect(await g.reserve({ tenantId: 'later', keyId: 'k' }, 1, 'a')).toBeUndefined();
    await setBudget('later', 0.5);
    expect(await g.reserve({ tenantId: 'later', keyId: 'k' }, 1, 'b')).toBeUndefined();
    now += 60_001;
    await expect(g.reserve({ tenantId: 'later', keyId: 'k' }, 1, 'c')).rejects.toMatchObject({ status: 429 });
  });

  it('holds the worst case while it fits; near the limit holds a share of the free budget, capped; refuses below a typical answer', async () => {
    await setBudget('near', 1);
    const g = guard();
    const far = await g.reserve({ tenantId: 'near', keyId: 'k' }, { worstUsd: 0.6, typicalUsd: 0.05 }, 'a');
    expect(far).toMatchObject({ amountUsd: 0.6 });
    expect(far?.capped).toBeUndefined();
    // 0.4 free: the 0.6 worst case no longer fits; a quarter of what is free (0.1) is held, capped.
    const near = await g.reserve({ tenantId: 'near', keyId: 'k' }, { worstUsd: 0.6, typicalUsd: 0.05 }, 'b');
    expect(near).toMatchObject({ amountUsd: 0.1, capped: true });
    // 0.3 free, a typical answer costs 0.35: refused, with amounts that add up to the budget.
    const error = await g.reserve({ tenantId: 'near', keyId: 'k' }, { worstUsd: 0.6, typicalUsd: 0.35 }, 'c').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as BudgetExceededError).refusal).toMatchObject({ limitUsd: 1, spentUsd: 0, heldUsd: 0.7, typicalUsd: 0.35 });
    expect((error as Error).message).toContain('$0.00 spent, $0.70 held by calls in flight, $0.30 remaining');
    expect((await counter('near'))?.['reservedUsd']).toBeCloseTo(0.7, 12);
  });

  it('gives a hold back exactly once: settle, release and the sweep of expired holds never double it', async () => {
    await setBudget('once', 1);
    let now = NOW;
    const g = guard({ clock: { now: () => now }, holdTtlMs: 60_000 });
    const settled = await g.reserve({ tenantId: 'once', keyId: 'k' }, 0.3, 'settled');
    const crashed = await g.reserve({ tenantId: 'once', keyId: 'k' }, 0.5, 'crashed'); // never settled: its invocation died
    await g.settle(settled!, 0.1);
    expect(await g.sweepExpiredHolds('once')).toBe(0); // not expired yet
    expect((await items('once')).filter((i) => String(i['sk']).startsWith('HOLD#')).map((i) => i['sk'])).toEqual(['HOLD#crashed']);

    now += 60_001;
    // 0.4 free can't take a 0.6 worst case: the tight path sweeps the dead hold first, so it fits uncapped.
    const next = await g.reserve({ tenantId: 'once', keyId: 'k' }, { worstUsd: 0.6, typicalUsd: 0.1 }, 'next');
    expect(next).toMatchObject({ amountUsd: 0.6 });
    expect(next?.capped).toBeUndefined();
    await g.release(crashed!); // the crashed invocation's late release must not give the hold back twice
    expect(await g.sweepExpiredHolds('once')).toBe(0);
    const after = await counter('once');
    expect(after?.['reservedUsd']).toBeCloseTo(0.6, 12);
    expect(after?.['spentUsd']).toBeCloseTo(0.1, 12);
    expect(after?.['committedUsd']).toBeCloseTo(0.7, 12);
  });
});
