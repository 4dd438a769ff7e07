// DynamoDB for the local runtime: dynalite (pure JS, speaks the real DynamoDB wire protocol), with the
// tables created from the same definitions the CDK stack uses. The endpoint given out is a small HTTP
// front (dynamodb-front.ts) that adds TransactWriteItems, which dynalite lacks, and calls dynalite's
// request handler in the process (dynalite-in-process.ts).
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { AttributeDefinition, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { allTables } from '#contracts/tables.ts';
import type { TableDefinition } from '#contracts/tables.ts';
import { closeLevelIteratorsOnReturn } from './level-iterator-return.ts';
import { memoizeConstantConditions } from './dynalite-condition-memo.ts';
import { dynaliteDirect, dynaliteWithStore } from './dynalite-direct.ts';
import { dynaliteInProcess } from './dynalite-in-process.ts';
import { startDynamoFront } from './dynamodb-front.ts';

const require = createRequire(import.meta.url);
// `level` is dynalite's own dependency: resolved from dynalite so both agree on the version.
const requireFromDynalite = createRequire(require.resolve('dynalite'));

export interface DynamoStandIn {
  endpoint: string;
  /** Physical table name per logical table name. */
  tableNames: Record<string, string>;
  close(): Promise<void>;
}

/** The data folder is held by another process (LevelDB's lock): dynalite would crash at its first request. */
export class DataFolderInUseError extends Error {
  override name = 'DataFolderInUseError';
  constructor(path: string, cause?: unknown) {
    super(`the data folder ${path} is in use by another process (a running npm start?)`, { cause });
  }
}

/** A table's description as dynalite stores it (the fields the stand-in reads). */
export interface DynaliteTableRecord {
  TableStatus?: string;
  GlobalSecondaryIndexes?: Array<{ IndexStatus?: string }>;
  BillingModeSummary?: { LastUpdateToPayPerRequestDateTime?: number };
  CreationDateTime?: number;
}

/** The parts of dynalite's LevelDB the stand-in (and its tests) use on a closed data folder. */
export interface DynaliteFolder {
  open(): Promise<void>;
  close(): Promise<void>;
  get(key: string): Promise<DynaliteTableRecord | undefined>;
  iterator(options: { gte: string; lt: string }): AsyncIterable<[string, DynaliteTableRecord]>;
  put(key: string, value: DynaliteTableRecord): Promise<void>;
}

/** dynalite keeps each table's description under this key prefix (its `table` sub-database). */
export const DYNALITE_TABLE_KEYS = { gte: 'table~', lt: 'table~\uffff' };

/** A data folder's LevelDB, opened as dynalite opens it (its own `level`, JSON values); not yet open. */
export function dynaliteFolder(path: string): DynaliteFolder {
  const { Level } = requireFromDynalite('level') as { Level: new (path: string, options: { valueEncoding: 'json' }) => DynaliteFolder };
  return new Level(path, { valueEncoding: 'json' });
}

/**
 * Opens the folder's LevelDB once before dynalite does: a held lock is a clear error, not a crash at
 * the first request. It also finishes table creations a process was stopped in the middle of: dynalite
 * writes a new table as CREATING, answers, and marks it ACTIVE in a timer; a process that closed or died
 * in between left a table that every later call finds "not found" and no call can repair (dynalite
 * refuses to delete a CREATING table). A CREATING table never held an item, so marking it ACTIVE, as
 * dynalite's timer would have, loses nothing.
 */
async function openFolderOnce(path: string): Promise<void> {
  const db = dynaliteFolder(path);
  try {
    await db.open();
    for await (const [key, table] of db.iterator(DYNALITE_TABLE_KEYS)) {
      if (table?.TableStatus !== 'CREATING') continue;
      table.TableStatus = 'ACTIVE';
      for (const index of table.GlobalSecondaryIndexes ?? []) index.IndexStatus = 'ACTIVE';
      if (table.BillingModeSummary) table.BillingModeSummary.LastUpdateToPayPerRequestDateTime = table.CreationDateTime;
      await db.put(key, table);
    }
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'LEVEL_LOCKED') throw new DataFolderInUseError(path, error);
    throw error;
  } finally {
    await db.close().catch(() => undefined);
  }
}

/**
 * Starts dynalite on loopback behind its front; `path` keeps data on disk between runs, omitted means
 * in memory; `port` is the front's (the endpoint's), dynalite's own is always a free one.
 */
export async function startDynamoStandIn(options: { path?: string; port?: number; tablePrefix?: string } = {}): Promise<DynamoStandIn> {
  if (options.path) await openFolderOnce(options.path);
  // Without it every Query/Scan leaves a LevelDB iterator open (see level-iterator-return.ts).
  closeLevelIteratorsOnReturn();
  // The cost ledger's put-if-absent is parsed once, not once per record (see dynalite-condition-memo.ts).
  memoizeConstantConditions();
  const { server, store } = dynaliteWithStore({ createTableMs: 0, deleteTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // The front calls dynalite's handler in the process. dynalite still listens on a loopback port of its
  // own: its close() closes the database only after closing a listening server.
  const front = await startDynamoFront(dynaliteInProcess(server), dynaliteDirect(store), options.port ?? 0);
  const endpoint = front.endpoint;
  const prefix = options.tablePrefix ?? 'llm-router-local-';
  const tableNames = await createTables(endpoint, prefix);
  return {
    endpoint,
    tableNames,
    close: async () => {
      await front.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Creates every contract table that does not exist yet (idempotent, so persisted data survives). */
export async function createTables(endpoint: string, prefix: string, region = 'us-east-1'): Promise<Record<string, string>> {
  const client = new DynamoDBClient({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const names: Record<string, string> = {};
  try {
    for (const table of allTables) {
      names[table.name] = prefix + table.name;
      try {
        await client.send(new CreateTableCommand(tableInput(table, prefix + table.name)));
      } catch (error) {
        if (!(error instanceof ResourceInUseException) && (error as Error).name !== 'ResourceInUseException') throw error;
      }
      // dynalite marks a new table ACTIVE a moment after answering: wait for it, so a process that
      // closes the stand-in right after (a CLI run on the data folder) never leaves it half created.
      await untilActive(client, prefix + table.name);
    }
  } finally {
    client.destroy();
  }
  return names;
}

async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`the DynamoDB stand-in did not make table ${tableName} ACTIVE`);
}

function tableInput(table: TableDefinition, tableName: string): CreateTableCommandInput {
  const attributes = new Set<string>([table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])]);
  for (const index of table.globalIndexes ?? []) {
    attributes.add(index.partitionKey);
    if (index.sortKey) attributes.add(index.sortKey);
  }
  const definitions: AttributeDefinition[] = [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: definitions,
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: 'HASH' },
      ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    ...(table.globalIndexes?.length ? {
      GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
          ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
        ],
        Projection: { ProjectionType: 'ALL' as const },
      })),
    } : {}),
  };
}
