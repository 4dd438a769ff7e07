// An in-process dynalite with the tenant table (created from the contract), for key-store and
// authorizer tests.
import { createRequire } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tenantTable } from '#contracts/tables.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { hashApiKey } from '#core/auth/api-keys.ts';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { standInDocumentStore } from '#local/stand-in-documents.ts';

const require = createRequire(import.meta.url);

export interface TenantTableFixture {
  endpoint: string;
  tableName: string;
  documents: DynamoDBDocumentClient;
  /** The functions' own wire client, for the adapters under test. */
  store: DynamoDocuments;
  putKey(apiKey: string, item: { tenantId: string; keyId?: string; revoked?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export const fakeCredentials = { accessKeyId: 'fake', secretAccessKey: 'fake' };

export async function startTenantTable(tableName = 'tenants-test'): Promise<TenantTableFixture> {
  const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: fakeCredentials });
  const keys = [tenantTable.partitionKey, ...(tenantTable.sortKey ? [tenantTable.sortKey] : [])];
  await raw.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: keys.map((name, i) => ({ AttributeName: name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
    }),
  );
  const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint,
    tableName,
    documents,
    store: standInDocumentStore(endpoint),
    putKey: async (apiKey, item) => {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: tenantTableKeys.apiKeyPk(hashApiKey(apiKey)), sk: tenantTableKeys.apiKeySk, ...item },
        }),
      );
    },
    close: async () => {
      raw.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
