// Provider keys from Secrets Manager (through a local stand-in speaking the real protocol) and from env.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerKeysFromEnv, providerKeysFromSecret } from '#adapters/aws/provider-keys.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { startSecretsStandIn } from '../support/secrets-manager-standin.ts';
import type { SecretsStandIn } from '../support/secrets-manager-standin.ts';

const catalog = parseCatalog({
  version: 1,
  providers: [
    { id: 'openai', kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', apiKey: { env: 'OPENAI_API_KEY' } },
    { id: 'anthropic', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKey: { env: 'ANTHROPIC_API_KEY', secretField: 'anthropic' } },
    { id: 'bedrock', kind: 'bedrock', region: 'us-east-1' },
  ],
  models: [{ id: 'm', provider: 'openai', upstreamId: 'm', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 1 }, contextWindow: 1000, maxOutputTokens: 100, quality: { overall: 0.5 } }],
});

let standIn: SecretsStandIn;
let client: SecretsManagerClient;

beforeAll(async () => {
  standIn = await startSecretsStandIn({
    'provider-keys': JSON.stringify({ OPENAI_API_KEY: 'sk-openai', anthropic: 'sk-ant', unrelated: 'x' }),
    'not-json': 'plain text',
  });
  client = new SecretsManagerClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
});

afterAll(async () => {
  client?.destroy();
  await standIn?.close();
});

describe('providerKeysFromSecret', () => {
  it('maps secret fields to providers by secretField, falling back to the env name', async () => {
    const keys = await providerKeysFromSecret(catalog, 'provider-keys', client);

    expect(Object.fromEntries(keys)).toEqual({ openai: 'sk-openai', anthropic: 'sk-ant' });
  });

  it('fails with a clear message when the secret is not a JSON object', async () => {
    await expect(providerKeysFromSecret(catalog, 'not-json', client)).rejects.toThrow(/not a JSON object/);
  });
});

describe('providerKeysFromEnv', () => {
  it('takes keys from the variables the catalog names, skipping empty ones', () => {
    const keys = providerKeysFromEnv(catalog, { OPENAI_API_KEY: 'sk-env', ANTHROPIC_API_KEY: '' });

    expect(Object.fromEntries(keys)).toEqual({ openai: 'sk-env' });
  });
});
