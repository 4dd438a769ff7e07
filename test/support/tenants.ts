// Tenants for end-to-end tests of the local runtime: a key item (hash only), the tenant item and,
// optionally, a rate-limit plan item, written straight to the local tenants table.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tenantTable } from '#contracts/tables.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { generateApiKey, hashApiKey, keyIdFromHash } from '#core/auth/api-keys.ts';
import type { PlanLimits } from '#core/limits/plans.ts';
import type { LocalStack } from '#local/local-stack.ts';

/** Creates `tenantId` with one key (returned) and, when given, its plan. */
export async function addTenant(stack: LocalStack, tenantId: string, plan?: PlanLimits): Promise<string> {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({
    endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }));
  const table = stack.tableNames[tenantTable.name]!;
  const key = generateApiKey();
  const hash = hashApiKey(key);
  try {
    await documents.send(new PutCommand({ TableName: table, Item: { pk: tenantTableKeys.apiKeyPk(hash), sk: tenantTableKeys.apiKeySk, tenantId, keyId: keyIdFromHash(hash) } }));
    await documents.send(new PutCommand({ TableName: table, Item: { pk: tenantTableKeys.tenantPk(tenantId), sk: tenantTableKeys.profileSk, tenantId } }));
    if (plan) await documents.send(new PutCommand({ TableName: table, Item: { pk: tenantTableKeys.tenantPk(tenantId), sk: tenantTableKeys.planSk, plan: 'custom', ...plan } }));
  } finally {
    documents.destroy();
  }
  return key;
}
