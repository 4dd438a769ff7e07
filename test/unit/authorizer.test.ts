// The real authorizer handler (built from its environment) against dynalite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { generateApiKey, hashApiKey, keyIdFromHash } from '#core/auth/api-keys.ts';
import { startTenantTable, type TenantTableFixture } from '../support/tenant-table.ts';

const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/POST/v1/chat/completions';
const event = (authorizationToken: string): APIGatewayTokenAuthorizerEvent => ({ type: 'TOKEN', methodArn, authorizationToken });

let table: TenantTableFixture;
let handler: typeof import('#handlers/authorizer.ts').handler;
const saved = { ...process.env };

beforeAll(async () => {
  table = await startTenantTable();
  Object.assign(process.env, {
    TABLE_TENANTS: table.tableName,
    DEFAULT_USAGE_PLAN_KEY: 'llm-router-test-default-usage-plan',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'fake',
    AWS_SECRET_ACCESS_KEY: 'fake',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  ({ handler } = await import('#handlers/authorizer.ts'));
});

afterAll(async () => {
  process.env = saved;
  await table?.close();
});

describe('authorizer handler', () => {
  it('allows a known key for the whole stage, with tenant context', async () => {
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'acme', keyId: 'key_acme01' });
    const result = await handler(event(`Bearer ${key}`));
    expect(result).toEqual({
      principalId: 'key_acme01',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/*' },
        ],
      },
      context: { tenantId: 'acme', keyId: 'key_acme01' },
      usageIdentifierKey: 'llm-router-test-default-usage-plan',
    });
  });

  it("returns the tenant's own usage-plan key when it has one", async () => {
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'globex', usagePlanKey: 'globex-plan-key-0123456789' });
    const result = await handler(event(`bearer ${key}`));
    expect(result.principalId).toBe(keyIdFromHash(hashApiKey(key)));
    expect(result.usageIdentifierKey).toBe('globex-plan-key-0123456789');
  });

  it('denies an unknown key with Unauthorized (401)', async () => {
    await expect(handler(event(`Bearer ${generateApiKey()}`))).rejects.toThrow(/^Unauthorized$/);
  });

  it('denies a revoked key', async () => {
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'acme', revoked: true });
    await expect(handler(event(`Bearer ${key}`))).rejects.toThrow(/^Unauthorized$/);
  });

  it('denies a missing or non-bearer credential', async () => {
    await expect(handler(event(''))).rejects.toThrow(/^Unauthorized$/);
    await expect(handler(event(`Basic ${generateApiKey()}`))).rejects.toThrow(/^Unauthorized$/);
  });

  it('never logs the key', async () => {
    const { createAuthorizer } = await import('#handlers/authorizer.ts');
    const { DynamoKeyStore } = await import('#adapters/dynamodb/key-store.ts');
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'acme' });
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(JSON.stringify(args));
    const authorize = createAuthorizer({
      keys: new DynamoKeyStore({ tableName: table.tableName, client: table.documents }),
      logger: { info: capture, warn: capture } as never,
    });
    await authorize(event(`Bearer ${key}`));
    await authorize(event(`Bearer ${generateApiKey()}`)).catch(() => undefined);
    expect(lines.join('\n')).toContain('authorizer.allowed');
    expect(lines.join('\n')).toContain('authorizer.denied');
    expect(lines.join('\n')).not.toContain('sk-lr-');
  });

  it('accepts x-api-key or Authorization on REQUEST events (the Messages API routes), and denies neither', async () => {
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'anth', keyId: 'key_anth01' });
    const request = (headers: Record<string, string>) => ({ type: 'REQUEST', methodArn, headers }) as unknown as APIGatewayRequestAuthorizerEvent;
    const viaApiKey = await handler(request({ 'X-Api-Key': key, 'anthropic-version': '2023-06-01' }));
    expect(viaApiKey.context).toEqual({ tenantId: 'anth', keyId: 'key_anth01' });
    const viaBearer = await handler(request({ authorization: `Bearer ${key}` }));
    expect(viaBearer.principalId).toBe('key_anth01');
    await expect(handler(request({ 'x-api-key': 'not-a-key' }))).rejects.toThrow('Unauthorized');
    await expect(handler(request({}))).rejects.toThrow('Unauthorized');
  });
});
