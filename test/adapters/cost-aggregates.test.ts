// DynamoCostLedger's aggregates against both stand-ins: added once per new call record, never for a
// duplicate, including concurrent duplicate writes of the same call (a retried Lambda).
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { aggregateKeys } from '#adapters/dynamodb/cost-aggregates.ts';
import { DynamoCostLedger } from '#adapters/dynamodb/cost-ledger.ts';
import { costKeys, costTable } from '#contracts/tables.ts';
import { sampleCostRecord } from '../support/cost-records.ts';
import { dynamoBackends } from '../support/dynamodb-backends.ts';
import { useDynamoBackend } from '../support/use-dynamo-backend.ts';

const call = sampleCostRecord;

describe.each(dynamoBackends)('cost aggregates on $name', ({ name, start }) => {
  let table: string;
  let ledger: DynamoCostLedger;
  const backend = useDynamoBackend(start, (b) => {
    table = b.tableNames[costTable.name]!;
    ledger = new DynamoCostLedger(b.store, table);
  });

  const aggregate = async (tenantId: string, day: string, modelId: string) => (await backend.documents.send(new GetCommand({
    TableName: table, Key: { pk: aggregateKeys.pk(tenantId), sk: aggregateKeys.sk(day, modelId) },
  }))).Item;
  const calls = async (tenantId: string) => (await backend.documents.send(new QueryCommand({
    TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': costKeys.pk(tenantId) },
  }))).Items ?? [];

  it('adds calls, tokens, cost and savings per tenant, day and model', async () => {
    await ledger.record(call({ tenantId: 'agg' }));
    await ledger.record(call({ tenantId: 'agg', costUsd: 0.1, inputTokens: 1, outputTokens: 2, cachedInputTokens: 0, reasoningTokens: 0 }));
    await ledger.record(call({ tenantId: 'agg', costUsd: 0, savedUsd: 0.2, cacheHit: true }));
    await ledger.record(call({ tenantId: 'agg', modelId: 'claude-sonnet-4.6', costUsd: 0.3 }));
    await ledger.record(call({ tenantId: 'agg', timestamp: '2026-11-27T00:00:00.000Z', costUsd: 0.7 }));

    expect(await aggregate('agg', '2026-11-26', 'gpt-5.4')).toMatchObject({
      tenantId: 'agg', modelId: 'gpt-5.4', aggDay: '2026-11-26', calls: 3, cacheHits: 1,
      inputTokens: 2001, outputTokens: 402, cachedInputTokens: 200, reasoningTokens: 40, costUsd: 0.10528, savedUsd: 0.2,
    });
    expect(await aggregate('agg', '2026-11-26', 'claude-sonnet-4.6')).toMatchObject({ calls: 1, costUsd: 0.3 });
    expect(await aggregate('agg', '2026-11-27', 'gpt-5.4')).toMatchObject({ calls: 1, costUsd: 0.7 });
    // The tenant's call partition holds call records only.
    expect((await calls('agg')).every((item) => String(item['sk']).startsWith('CALL#'))).toBe(true);
  });

  it('sums money exactly: 0.1 + 0.2 is 0.3 in the aggregate', async () => {
    await ledger.record(call({ tenantId: 'exact', costUsd: 0.1 }));
    await ledger.record(call({ tenantId: 'exact', costUsd: 0.2 }));
    expect((await aggregate('exact', '2026-11-26', 'gpt-5.4'))?.['costUsd']).toBe(0.3);
  });

  it('counts a retried record once', async () => {
    const record = call({ tenantId: 'retry' });
    await ledger.record(record);
    await ledger.record(record);
    await ledger.record({ ...record, costUsd: 99 });
    expect(await calls('retry')).toHaveLength(1);
    expect(await aggregate('retry', '2026-11-26', 'gpt-5.4')).toMatchObject({ calls: 1, costUsd: record.costUsd });
  });

  it('keeps one record and one aggregate count under 20 concurrent duplicate writes from separate ledgers', async () => {
    const record = call({ tenantId: 'concurrent' });
    const ledgers = Array.from({ length: 4 }, () => new DynamoCostLedger(backend.store, table));
    await Promise.all(Array.from({ length: 20 }, (_, i) => ledgers[i % 4]!.record({ ...record })));
    const items = await calls('concurrent');
    expect(items).toHaveLength(1);
    expect(items[0]?.['costUsd']).toBe(record.costUsd);
    expect(await aggregate('concurrent', '2026-11-26', 'gpt-5.4')).toMatchObject({ calls: 1, costUsd: record.costUsd });
  });

  it(`writes the record and the aggregate in one transaction on every backend (${name}; dynalite through its front)`, async () => {
    const probe = new DynamoCostLedger(backend.store, table);
    await probe.record(call({ tenantId: 'probe' }));
    expect(probe.transactional).toBe(true);
  });
});
