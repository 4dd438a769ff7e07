// The local DynamoDB stand-in's tables on a data folder: dynalite writes a new table as CREATING and marks
// it ACTIVE in a timer, so a process stopped in between (a CLI run on the folder that closed at once, a
// kill) left a table that every later call found "not found", for good. The stand-in waits for ACTIVE
// before it hands out its endpoint, and finishes such a creation when it opens the folder again.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, expect, it } from 'vitest';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';

interface TableRecord { TableStatus?: string; GlobalSecondaryIndexes?: Array<{ IndexStatus?: string }> }
interface FolderDb {
  open(): Promise<void>;
  close(): Promise<void>;
  get(key: string): Promise<TableRecord | undefined>;
  put(key: string, value: TableRecord): Promise<void>;
  iterator(options: { gte: string; lt: string }): AsyncIterable<[string, TableRecord]>;
}
// dynalite's own LevelDB, opened as dynalite opens it.
const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
const { Level } = requireFromDynalite('level') as { Level: new (path: string, options: { valueEncoding: 'json' }) => FolderDb };

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function withFolder<T>(path: string, use: (db: FolderDb) => Promise<T>): Promise<T> {
  const db = new Level(path, { valueEncoding: 'json' });
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
    for await (const [, table] of db.iterator({ gte: 'table~', lt: 'table~\uffff' })) found.push(table.TableStatus ?? '?');
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
