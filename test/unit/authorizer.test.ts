// The real authorizer handler (built from its environment) against dynalite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { generateApiKey, hashApiKey, keyIdFromHash } from '#core/api-keys.ts';
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
    const key = generateApiKey();
    await table.putKey(key, { tenantId: 'acme' });
    const lines: string[] = [];
    const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error };
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    Object.assign(console, { log: capture, info: capture, warn: capture, error: capture });
    const stdout = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
      await handler(event(`Bearer ${key}`));
      await handler(event(`Bearer ${generateApiKey()}`)).catch(() => undefined);
    } finally {
      Object.assign(console, originals);
      process.stdout.write = stdout;
    }
    expect(lines.join('\n')).not.toContain('sk-lr-');
  });
});
