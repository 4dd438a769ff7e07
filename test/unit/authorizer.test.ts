// The real authorizer handler (middy, built once from its environment) against dynalite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { usagePlanKeyValue } from '#contracts/usage-plans.ts';
import { generateApiKey, hashApiKey, keyIdFromHash } from '#core/auth/api-keys.ts';
import { startTenantTable, type TenantTableFixture } from '../support/tenant-table.ts';

const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/POST/v1/chat/completions';
const event = (authorizationToken: string): APIGatewayTokenAuthorizerEvent => ({ type: 'TOKEN', methodArn, authorizationToken });
const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

let table: TenantTableFixture;
let authorize: (e: APIGatewayTokenAuthorizerEvent | APIGatewayRequestAuthorizerEvent) => ReturnType<typeof import('#handlers/authorizer.ts').handler>;
const saved = { ...process.env };

beforeAll(async () => {
  table = await startTenantTable();
  Object.assign(process.env, {
    TABLE_TENANTS: table.tableName,
    STAGE: 'prod',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'fake',
    AWS_SECRET_ACCESS_KEY: 'fake',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  const { handler } = await import('#handlers/authorizer.ts');
  authorize = (e) => handler(e, context);
});

afterAll(async () => {
  process.env = saved;
  await table?.close();
});

describe('authorizer handler', () => {
  it("allows a known key for the whole stage, with tenant context and the tenant's own usage-plan key", async () => {
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'acme', keyId: 'key_acme01' });
    const result = await authorize(event(`Bearer ${key}`));
    expect(result).toEqual({
      principalId: 'key_acme01',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/*' },
        ],
      },
      context: { tenantId: 'acme', keyId: 'key_acme01' },
      usageIdentifierKey: usagePlanKeyValue('prod', 'acme'),
    });
  });

  it('gives two tenants two different usage-plan keys, and two keys of one tenant the same', async () => {
    const [a1, a2, b] = [generateApiKey(), generateApiKey(), generateApiKey()];
    await table.putKey(a1, { tenantId: 'initech' });
    await table.putKey(a2, { tenantId: 'initech' });
    await table.putKey(b, { tenantId: 'globex' });
    const [ra1, ra2, rb] = await Promise.all([a1, a2, b].map((k) => authorize(event(`bearer ${k}`))));
    expect(ra1!.principalId).toBe(keyIdFromHash(hashApiKey(a1)));
    expect(ra1!.usageIdentifierKey).toBe(ra2!.usageIdentifierKey);
    expect(rb!.usageIdentifierKey).not.toBe(ra1!.usageIdentifierKey);
    expect(rb!.usageIdentifierKey!.length).toBeGreaterThanOrEqual(20);
  });

  it('denies an unknown key with Unauthorized (401)', async () => {
    await expect(authorize(event(`Bearer ${generateApiKey()}`))).rejects.toThrow(/^Unauthorized$/);
  });

  it('denies a revoked key', async () => {
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'acme', revoked: true });
    await expect(authorize(event(`Bearer ${key}`))).rejects.toThrow(/^Unauthorized$/);
  });

  it('denies a missing, non-bearer or oddly spelled credential, as API Gateway would', async () => {
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'acme' });
    for (const header of ['', `Basic ${key}`, `BEARER ${key}`, `Bearer\t${key}`, `Bearer  ${key}`]) {
      await expect(authorize(event(header))).rejects.toThrow(/^Unauthorized$/);
    }
  });

  it('never logs the key', async () => {
    const { createAuthorizer } = await import('#handlers/authorizer.ts');
    const { DynamoKeyStore } = await import('#adapters/dynamodb/key-store.ts');
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'acme' });
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(JSON.stringify(args));
    const run = createAuthorizer({
      keys: new DynamoKeyStore({ tableName: table.tableName, client: table.store }),
      stage: 'prod',
      logger: { info: capture } as never,
    });
    await run(event(`Bearer ${key}`));
    await run(event(`Bearer ${generateApiKey()}`)).catch(() => undefined);
    expect(lines.join('\n')).toContain('authorizer.allowed');
    expect(lines.join('\n')).toContain('authorizer.denied');
    expect(lines.join('\n')).not.toContain('sk-lr-');
  });

  it('accepts x-api-key or Authorization on REQUEST events (the Messages API routes), and denies neither', async () => {
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'anth', keyId: 'key_anth01' });
    const request = (headers: Record<string, string>) => ({ type: 'REQUEST', methodArn, headers }) as unknown as APIGatewayRequestAuthorizerEvent;
    const viaApiKey = await authorize(request({ 'X-Api-Key': key, 'anthropic-version': '2023-06-01' }));
    expect(viaApiKey.context).toEqual({ tenantId: 'anth', keyId: 'key_anth01' });
    const viaBearer = await authorize(request({ authorization: `Bearer ${key}` }));
    expect(viaBearer.principalId).toBe('key_anth01');
    await expect(authorize(request({ 'x-api-key': 'not-a-key' }))).rejects.toThrow('Unauthorized');
    await expect(authorize(request({}))).rejects.toThrow('Unauthorized');
  });
});
