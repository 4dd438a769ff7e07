// The local DynamoDB stand-in's tables on a data folder: dynalite writes a new table as CREATING and marks
// it ACTIVE in a timer, so a process stopped in between (a CLI run on the folder that closed at once, a
// kill) left a table that every later call found "not found", for good. The stand-in waits for ACTIVE
// before it hands out its endpoint, and finishes such a creation when it opens the folder again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, expect, it } from 'vitest';
import { DYNALITE_TABLE_KEYS, dynaliteFolder, startDynamoStandIn } from '#local/dynamodb-standin.ts';
import type { DynaliteFolder } from '#local/dynamodb-standin.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function withFolder<T>(path: string, use: (db: DynaliteFolder) => Promise<T>): Promise<T> {
  const db = dynaliteFolder(path);
  await db.open();
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

const client = (endpoint: string) => new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });

it('hands out its endpoint only once every table is ACTIVE: closed at once, the folder holds no half-created table', async () => {
  const path = mkdtempSync(join(tmpdir(), 'standin-tables-'));
  dirs.push(path);
  const standIn = await startDynamoStandIn({ path, tablePrefix: 'now-' });
  await standIn.close();

  const statuses = await withFolder(path, async (db) => {
    const found: string[] = [];
    for await (const [, table] of db.iterator(DYNALITE_TABLE_KEYS)) found.push(table.TableStatus ?? '?');
    return found;
  });
  expect(statuses.length).toBe(Object.keys(standIn.tableNames).length);
  expect(new Set(statuses)).toEqual(new Set(['ACTIVE']));
});

it('finishes a table creation a previous process was stopped in the middle of', async () => {
  const path = mkdtempSync(join(tmpdir(), 'standin-tables-'));
  dirs.push(path);
  const first = await startDynamoStandIn({ path, tablePrefix: 'cut-' });
  const names = Object.values(first.tableNames);
  await first.close();
  // What a process stopped between dynalite's answer and its timer leaves behind.
  const cut = names.find((name) => name.endsWith('jobs')) ?? names[0]!;
  await withFolder(path, async (db) => {
    const table = (await db.get(`table~${cut}`))!;
    table.TableStatus = 'CREATING';
    for (const index of table.GlobalSecondaryIndexes ?? []) index.IndexStatus = 'CREATING';
    await db.put(`table~${cut}`, table);
  });

  const again = await startDynamoStandIn({ path, tablePrefix: 'cut-' });
  const dynamo = client(again.endpoint);
  try {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: cut }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect((Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')).toBe(true);
    // Reads and writes reach it (a CREATING table answers ResourceNotFoundException to both).
    await expect(dynamo.send(new ScanCommand({ TableName: cut }))).resolves.toMatchObject({ Count: 0 });
  } finally {
    dynamo.destroy();
    await again.close();
  }
});
