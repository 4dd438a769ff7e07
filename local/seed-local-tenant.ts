// Registers the local API key (hash only, as in AWS) for the `local` tenant, so the local front door
// authenticates through the same key store the Lambda authorizer uses.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tenantKeys } from '#contracts/tables.ts';
import { hashApiKey, isApiKeyFormat, keyIdFromHash } from '#core/auth/api-keys.ts';

/** The documented default key of the local runtime. It only ever opens the local runtime. */
export const DEFAULT_LOCAL_API_KEY = 'sk-lr-local-dev-key-for-the-embedded-runtime-only';
export const LOCAL_TENANT_ID = 'local';

/** Stores the key's hash for the local tenant; idempotent. */
export async function seedLocalTenant(client: DynamoDBDocumentClient, tableName: string, apiKey: string): Promise<{ keyId: string }> {
  if (!isApiKeyFormat(apiKey)) {
    throw new Error('ROUTER_API_KEY must look like sk-lr-<43 letters, digits, _ or ->; generate one with `npm run admin -- new-key` or use the default.');
  }
  const hash = hashApiKey(apiKey);
  const keyId = keyIdFromHash(hash);
  await client.send(new PutCommand({
    TableName: tableName,
    Item: { pk: tenantKeys.keyPk(hash), sk: tenantKeys.keySk, tenantId: LOCAL_TENANT_ID, keyId, createdAt: new Date().toISOString() },
  }));
  await client.send(new PutCommand({
    TableName: tableName,
    Item: { pk: tenantKeys.tenantPk(LOCAL_TENANT_ID), sk: tenantKeys.tenantSk, tenantId: LOCAL_TENANT_ID, name: 'Local development' },
  }));
  return { keyId };
}
