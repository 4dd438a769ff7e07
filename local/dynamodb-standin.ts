// DynamoDB for the local runtime: dynalite (pure JS, speaks the real DynamoDB wire protocol), with the
// tables created from the same definitions the CDK stack uses. The endpoint given out is a small HTTP
// front (dynamodb-front.ts) that adds TransactWriteItems, which dynalite lacks, and calls dynalite's
// request handler in the process (dynalite-in-process.ts).
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { AttributeDefinition, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { allTables } from '#contracts/tables.ts';
import type { TableDefinition } from '#contracts/tables.ts';
import { closeLevelIteratorsOnReturn } from './level-iterator-return.ts';
import { dynaliteInProcess } from './dynalite-in-process.ts';
import { startDynamoFront } from './dynamodb-front.ts';

const require = createRequire(import.meta.url);
// `level` is dynalite's own dependency: resolved from dynalite so both agree on the version.
const requireFromDynalite = createRequire(require.resolve('dynalite'));
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; path?: string }) => Server;

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

/** Opens and closes the folder's LevelDB once, so a held lock is a clear error and not a crash later. */
async function assertFolderFree(path: string): Promise<void> {
  const { Level } = requireFromDynalite('level') as { Level: new (path: string) => { open(): Promise<void>; close(): Promise<void> } };
  const db = new Level(path);
  try {
    await db.open();
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
  if (options.path) await assertFolderFree(options.path);
  // Without it every Query/Scan leaves a LevelDB iterator open (see level-iterator-return.ts).
  closeLevelIteratorsOnReturn();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // The front calls dynalite's handler in the process. dynalite still listens on a loopback port of its
  // own: its close() closes the database only after closing a listening server.
  const front = await startDynamoFront(dynaliteInProcess(server), options.port ?? 0);
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
    }
  } finally {
    client.destroy();
  }
  return names;
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
