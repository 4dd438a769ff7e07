// A DynamoDB backend for adapter tests: what a test reads and writes the tables through, and dynalite
// (in-process, the local runtime's default) as one. dynamodb-backends.ts adds AWS's DynamoDB Local; a
// file that imports only this one stays out of the `dynamodb-local` project (no Java started for it).
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { standInDocumentStore } from '#local/stand-in-documents.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import { localDynamoClient } from './dynamodb-local-process.ts';

export interface DynamoBackend {
  endpoint: string;
  tableNames: Record<string, string>;
  /** The SDK's document client: an outside reader of the tables. */
  documents: DynamoDBDocumentClient;
  /** The functions' own wire client: what the adapters under test send through. */
  store: DynamoDocuments;
  close(): Promise<void>;
}

/** The SDK's document client over a raw client, as an outside reader of the tables uses it. */
export const documentsFor = (raw: ReturnType<typeof localDynamoClient>) =>
  DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });

/** dynalite in memory with the project's tables. */
export async function startDynalite(): Promise<DynamoBackend> {
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
