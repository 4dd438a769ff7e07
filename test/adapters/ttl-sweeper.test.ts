// The local TTL sweeper against the real dynalite stand-in (through the AWS SDK): expired items of the
// tables that declare a TTL attribute go, everything else stays.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cacheTable, costTable, jobTable, usageTable } from '#contracts/tables.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import type { DynamoStandIn } from '#local/dynamodb-standin.ts';
import { startTtlSweeper, sweepExpiredItems, ttlTables } from '#local/ttl-sweeper.ts';

const NOW = 1_800_000_000;
let standIn: DynamoStandIn;
let raw: DynamoDBClient;
let documents: DynamoDBDocumentClient;
const table = (name: string): string => standIn.tableNames[name]!;
const exists = async (name: string, pk: string, sk: string): Promise<boolean> =>
  (await documents.send(new GetCommand({ TableName: table(name), Key: { pk, sk } }))).Item !== undefined;

beforeAll(async () => {
  standIn = await startDynamoStandIn({ tablePrefix: 'ttl-' });
  raw = new DynamoDBClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  documents = DynamoDBDocumentClient.from(raw);
});
afterAll(async () => {
  raw.destroy();
  await standIn.close();
});

describe('local TTL sweeper', () => {
  it('sweeps the cache, jobs and usage tables, not the cost table', () => {
    expect(ttlTables(standIn.tableNames).map((t) => t.tableName).sort()).toEqual([table(cacheTable.name), table(jobTable.name), table(usageTable.name)].sort());
  });

  it('deletes expired items across pages and keeps live ones, items without the attribute and tables without TTL', async () => {
    const expired = Array.from({ length: 520 }, (_, i) => ({ pk: `TENANT#t#${i % 7}`, sk: `E#${i}`, expiresAt: NOW - 1 - i }));
    for (let i = 0; i < expired.length; i += 25) {
      await documents.send(new BatchWriteCommand({ RequestItems: { [table(cacheTable.name)]: expired.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    await documents.send(new PutCommand({ TableName: table(cacheTable.name), Item: { pk: 'live', sk: 'a', expiresAt: NOW + 60 } }));
    await documents.send(new PutCommand({ TableName: table(cacheTable.name), Item: { pk: 'no-ttl', sk: 'a' } }));
    await documents.send(new PutCommand({ TableName: table(cacheTable.name), Item: { pk: 'edge', sk: 'a', expiresAt: NOW } }));
    await documents.send(new PutCommand({ TableName: table(usageTable.name), Item: { pk: 'TENANT#t', sk: 'TPM#old', tokens: 5, expiresAt: NOW - 120 } }));
    await documents.send(new PutCommand({ TableName: table(jobTable.name), Item: { pk: 'JOB#j', sk: 'JOB', expiresAt: NOW - 1 } }));
    await documents.send(new PutCommand({ TableName: table(costTable.name), Item: { pk: 'TENANT#t', sk: 'CALL#x', day: 'd', expiresAt: NOW - 1 } }));

    const deleted = await sweepExpiredItems(documents, ttlTables(standIn.tableNames), NOW);

    expect(deleted).toBe(522);
    const left = await documents.send(new ScanCommand({ TableName: table(cacheTable.name) }));
    expect((left.Items ?? []).map((item) => item['pk']).sort()).toEqual(['edge', 'live', 'no-ttl']);
    expect(await exists(usageTable.name, 'TENANT#t', 'TPM#old')).toBe(false);
    expect(await exists(jobTable.name, 'JOB#j', 'JOB')).toBe(false);
    expect(await exists(costTable.name, 'TENANT#t', 'CALL#x')).toBe(true);
  });

  it('runs on its interval until stopped', async () => {
    await documents.send(new PutCommand({ TableName: table(cacheTable.name), Item: { pk: 'later', sk: 'a', expiresAt: NOW + 5 } }));
    let now = (NOW + 1) * 1000;
    const sweeper = startTtlSweeper({ endpoint: standIn.endpoint, tables: ttlTables(standIn.tableNames), intervalMs: 10, now: () => now });
    try {
      now = (NOW + 10) * 1000;
      await vi.waitFor(async () => expect(await exists(cacheTable.name, 'later', 'a')).toBe(false), { timeout: 5_000, interval: 20 });
    } finally {
      sweeper.stop();
    }
  });
});
