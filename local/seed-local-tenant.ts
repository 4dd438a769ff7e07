// Registers the local API key (hash only, as in AWS) for the `local` tenant, so the local front door
// authenticates through the same key store the Lambda authorizer uses.
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { TenantRepository } from '#adapters/dynamodb/tenant-repository.ts';
import { hashApiKey, isApiKeyFormat, keyIdFromHash } from '#core/auth/api-keys.ts';
import { envVars } from '#contracts/env.ts';

/** The documented default key of the local runtime. It only ever opens the local runtime. */
export const DEFAULT_LOCAL_API_KEY: string = envVars.localApiKey.schema.parse(undefined);
export const LOCAL_TENANT_ID = 'local';

/** Stores the key's hash for the local tenant; idempotent. */
export async function seedLocalTenant(client: DynamoDocuments, tableName: string, apiKey: string): Promise<{ keyId: string }> {
  if (!isApiKeyFormat(apiKey)) {
    throw new Error('ROUTER_API_KEY must look like sk-lr-<43 letters, digits, _ or ->; generate one with `npm run admin -- new-key` or use the default.');
  }
  const keyHash = hashApiKey(apiKey);
  const keyId = keyIdFromHash(keyHash);
  const tenants = new TenantRepository(client, tableName);
  await tenants.putKey({ tenantId: LOCAL_TENANT_ID, keyId, keyHash, createdAt: new Date().toISOString() }, { overwrite: true, withLookup: false });
  await tenants.putTenant({ tenantId: LOCAL_TENANT_ID, name: 'Local development' }, { upsert: true });
  return { keyId };
}
