// The two DynamoDB stand-ins adapter tests run against: dynalite (in-process, the local runtime's
// default) and AWS's own DynamoDB Local (a Java process, closer to the real service).
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { standInDocumentStore } from '#local/stand-in-documents.ts';
import { createTables } from '#local/dynamodb-standin.ts';
import { documentsFor, startDynalite } from './dynalite-backend.ts';
import type { DynamoBackend } from './dynalite-backend.ts';
import { localDynamoClient, spawnDynamoDbLocal } from './dynamodb-local-process.ts';


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
