// DynamoCostLedger against both DynamoDB stand-ins: one item per call, keyed for per-tenant queries.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCostLedger } from '#adapters/dynamodb/cost-ledger.ts';
import { costKeys, costTable } from '#contracts/tables.ts';
import type { CostRecord } from '#core/pricing/ports.ts';
import { dynamoBackends } from '../support/dynamodb-backends.ts';
import { useDynamoBackend } from '../support/use-dynamo-backend.ts';

function costRecord(overrides: Partial<CostRecord> = {}): CostRecord {
  return {
    tenantId: 'acme',
    keyId: 'key_0123456789ab',
    requestId: `req-${Math.random().toString(36).slice(2)}`,
    modelId: 'gpt-5.4',
    providerId: 'openai',
    inputTokens: 1200,
    outputTokens: 300,
    cachedInputTokens: 200,
    reasoningTokens: 50,
    costUsd: 0.00725,
    latencyMs: 840,
    attempts: 1,
    cacheHit: false,
    stream: false,
    strategy: 'balanced',
    timestamp: '2026-11-26T10:00:00.000Z',
    ...overrides,
  };
}

describe.each(dynamoBackends)('DynamoCostLedger on $name', ({ start }) => {
  let ledger: DynamoCostLedger;
  let tableName: string;
  const backend = useDynamoBackend(start, (b) => {
    tableName = b.tableNames[costTable.name]!;
    ledger = new DynamoCostLedger(b.store, tableName);
  });

  it('stores every field of the record under the tenant and call keys', async () => {
    const record = costRecord();

    await ledger.record(record);

    const { Item } = await backend.documents.send(new GetCommand({
      TableName: tableName,
      Key: { pk: costKeys.pk('acme'), sk: costKeys.sk(record.timestamp, record.requestId) },
    }));
    expect(Item).toMatchObject({ ...record, day: '2026-11-26' });
  });

  it('writes a retried record once', async () => {
    const record = costRecord({ tenantId: 'retry-tenant' });

    await ledger.record(record);
    await ledger.record(record);
    await ledger.record({ ...record, costUsd: 99 });

    const { Items } = await backend.documents.send(new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': costKeys.pk('retry-tenant') },
    }));
    expect(Items).toHaveLength(1);
    expect(Items?.[0]?.['costUsd']).toBe(record.costUsd);
  });

  it('is queryable per day across tenants through the byDay index', async () => {
    await ledger.record(costRecord({ tenantId: 't1', timestamp: '2026-11-20T01:00:00.000Z' }));
    await ledger.record(costRecord({ tenantId: 't2', timestamp: '2026-11-20T23:00:00.000Z' }));
    await ledger.record(costRecord({ tenantId: 't3', timestamp: '2026-11-21T00:00:00.000Z' }));

    const { Items } = await backend.documents.send(new QueryCommand({
      TableName: tableName,
      IndexName: 'byDay',
      KeyConditionExpression: '#day = :day',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: { ':day': '2026-11-20' },
    }));
    expect(Items?.map((i) => i['tenantId']).sort()).toEqual(['t1', 't2']);
  });
});
