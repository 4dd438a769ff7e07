// The two DynamoDB stand-ins adapter tests run against: dynalite (in-process, the local runtime's
// default) and AWS's own DynamoDB Local (a Java process, closer to the real service).
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { standInDocumentStore } from '#local/stand-in-documents.ts';
import { createTables, startDynamoStandIn } from '#local/dynamodb-standin.ts';
import { localDynamoClient, spawnDynamoDbLocal } from './dynamodb-local-process.ts';

export interface DynamoBackend {
  endpoint: string;
  tableNames: Record<string, string>;
  /** The SDK's document client: an outside reader of the tables. */
  documents: DynamoDBDocumentClient;
  /** The functions' own wire client: what the adapters under test send through. */
  store: DynamoDocuments;
  close(): Promise<void>;
}

const documentsFor = (raw: ReturnType<typeof localDynamoClient>) =>
  DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });

async function startDynalite(): Promise<DynamoBackend> {
  const standIn = await startDynamoStandIn();
  const raw = localDynamoClient(standIn.endpoint);
  return {
    endpoint: standIn.endpoint,
    tableNames: standIn.tableNames,
    documents: documentsFor(raw),
    store: standInDocumentStore(standIn.endpoint),
    close: async () => { raw.destroy(); await standIn.close(); },
  };
}

/**
 * Tables of their own on the run's shared DynamoDB Local (started by the global setup), so files
 * running in parallel never see each other's items. A file run outside the `dynamodb-local` project
 * (no endpoint provided) spawns a process of its own, as every file did before.
 */
async function startDynamoDbLocal(): Promise<DynamoBackend> {
  const shared = inject('dynamoDbLocalEndpoint');
  const own = shared ? undefined : await spawnDynamoDbLocal();
  const endpoint = shared ?? own!.endpoint;
  const raw = localDynamoClient(endpoint);
  const tableNames = await createTables(endpoint, `test-${randomUUID().slice(0, 8)}-`);
  return {
    endpoint,
    tableNames,
    documents: documentsFor(raw),
    store: standInDocumentStore(endpoint),
    close: async () => {
      if (own) await own.stop();
      else await Promise.all(Object.values(tableNames).map((TableName) => raw.send(new DeleteTableCommand({ TableName }))));
      raw.destroy();
    },
  };
}

export const dynamoBackends: ReadonlyArray<{ name: string; start(): Promise<DynamoBackend> }> = [
  { name: 'dynalite', start: startDynalite },
  { name: 'DynamoDB Local', start: startDynamoDbLocal },
];

/** A started backend as a suite sees it: the helper closes it, so no `close` here. */
export type DynamoBackendInUse = Omit<DynamoBackend, 'close'>;

/**
 * Starts a backend before the tests of the calling `describe` block (or file) and closes it after
 * them. `ready` runs once it is up, for what the file builds on it (its tables, the adapter under
 * test). The handle reads the live backend, so it can be used in the block's closures and tests.
 */
export function useDynamoBackend(start: () => Promise<DynamoBackend>, ready?: (backend: DynamoBackendInUse) => void): DynamoBackendInUse {
  let backend: DynamoBackend | undefined;
  beforeAll(async () => {
    backend = await start();
    ready?.(backend);
  }, 90_000);
  afterAll(async () => {
    await backend?.close();
    backend = undefined;
  });
  const live = (): DynamoBackend => {
    if (!backend) throw new Error('the DynamoDB backend is only up during its suite\'s tests');
    return backend;
  };
  return {
    get endpoint() { return live().endpoint; },
    get tableNames() { return live().tableNames; },
    get documents() { return live().documents; },
    get store() { return live().store; },
  };
}
