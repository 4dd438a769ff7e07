// Provider keys from Secrets Manager (through a local stand-in speaking the real protocol) and from env.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedProviderKeys, providerKeysFromEnv, providerKeysFromSecret } from '#adapters/aws/provider-keys.ts';
import { SecretsWire } from '#adapters/aws/secrets-wire.ts';
import { KeyedProviderClient } from '#adapters/providers/keyed-provider-client.ts';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '#core/chat/openai-types.ts';
import type { ProviderClient } from '#core/chat/ports.ts';
import { ProviderError } from '#core/shared/errors.ts';
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
let client: SecretsWire;

beforeAll(async () => {
  standIn = await startSecretsStandIn({
    'provider-keys': JSON.stringify({ OPENAI_API_KEY: 'sk-openai', anthropic: 'sk-ant', unrelated: 'x' }),
    'not-json': 'plain text',
  });
  client = new SecretsWire({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
});

afterAll(async () => {
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

  it("fails with Secrets Manager's own error name when the secret does not exist (not retried)", async () => {
    const before = standIn.requests;
    await expect(providerKeysFromSecret(catalog, 'no-such-secret', client)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(standIn.requests - before).toBe(1);
  });
});

describe('providerKeysFromEnv', () => {
  it('takes keys from the variables the catalog names, skipping empty ones', () => {
    const keys = providerKeysFromEnv(catalog, { OPENAI_API_KEY: 'sk-env', ANTHROPIC_API_KEY: '' });

    expect(Object.fromEntries(keys)).toEqual({ openai: 'sk-env' });
  });
});

describe('CachedProviderKeys', () => {
  let now = 0;
  const clock = { now: () => now };
  function cached(values: Array<Record<string, string>>, options: { failAt?: number } = {}) {
    const loads = { count: 0 };
    const errors: unknown[] = [];
    const keys = new CachedProviderKeys({
      load: async () => {
        loads.count += 1;
        if (loads.count === options.failAt) throw new Error('secrets manager down');
        return new Map(Object.entries(values[Math.min(loads.count, values.length) - 1]!));
      },
      maxAgeMs: 60_000,
      minReloadIntervalMs: 10_000,
      clock,
      onReloadError: (error) => errors.push(error),
    });
    return { keys, loads, errors };
  }

  it('serves the keys it read until they are older than the bound, then reads them again', async () => {
    now = 0;
    const { keys, loads } = cached([{ openai: 'k1' }, { openai: 'k2' }]);
    await keys.start();

    now = 59_999;
    expect(await keys.get('openai')).toBe('k1');
    now = 60_000;
    expect(await keys.get('openai')).toBe('k2');
    expect(loads.count).toBe(2);
  });

  it('shares one forced re-read between concurrent refusals and pauses before the next', async () => {
    now = 0;
    const { keys, loads } = cached([{ openai: 'k1' }, { openai: 'k2' }, { openai: 'k3' }]);
    await keys.start();

    const results = await Promise.all([keys.reload(), keys.reload(), keys.reload()]);
    now = 5_000;
    const tooSoon = await keys.reload();

    expect(results).toEqual([true, true, true]);
    expect(tooSoon).toBe(false);
    expect(loads.count).toBe(2);
    expect(await keys.get('openai')).toBe('k2');
  });

  it('keeps the previous keys when a re-read fails', async () => {
    now = 0;
    const { keys, errors } = cached([{ openai: 'k1' }], { failAt: 2 });
    await keys.start();

    now = 60_000;
    expect(await keys.get('openai')).toBe('k1');
    expect(errors).toHaveLength(1);
  });
});

describe('KeyedProviderClient', () => {
  const request = { model: 'm', messages: [{ role: 'user', content: 'hi' }] } as unknown as ChatRequest;
  const refused = () => new ProviderError('refused', { kind: 'authentication', providerId: 'p', upstreamStatus: 401 });

  /** Builds fake clients that accept only `accepted`; records the key of every call. */
  function fakeClients(accepted: string, used: Array<string | undefined>) {
    return (apiKey: string | undefined): ProviderClient => ({
      providerId: 'p',
      async chat() {
        used.push(apiKey);
        if (apiKey !== accepted) throw refused();
        return { id: 'c' } as ChatCompletion;
      },
      async *stream() {
        used.push(apiKey);
        if (apiKey !== accepted) throw refused();
        yield { id: 'chunk' } as ChatCompletionChunk;
      },
    });
  }

  it('retries a refused call once with the key read again, for chat and stream', async () => {
    // The key was rotated: the cached key is 'old' until the re-read, which brings 'new'.
    let reloads = 0;
    const keys = { get: async () => (reloads === 0 ? 'old' : 'new'), reload: async () => { reloads += 1; return true; } };
    const used: Array<string | undefined> = [];
    const client = new KeyedProviderClient('p', keys, fakeClients('new', used));

    await client.chat(request);
    reloads = 0;
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of client.stream(request)) chunks.push(chunk);

    expect(used).toEqual(['old', 'new', 'old', 'new']);
    expect(chunks).toHaveLength(1);
    expect(reloads).toBe(1);
  });

  it('lets the refusal stand when the re-read brings the same key or none was made', async () => {
    const used: Array<string | undefined> = [];
    const sameKey = new KeyedProviderClient('p', { get: async () => 'old', reload: async () => true }, fakeClients('new', used));
    const noReload = new KeyedProviderClient('p', { get: async () => 'old', reload: async () => false }, fakeClients('new', used));

    await expect(sameKey.chat(request)).rejects.toBeInstanceOf(ProviderError);
    await expect(noReload.chat(request)).rejects.toBeInstanceOf(ProviderError);
    expect(used).toEqual(['old', 'old']);
  });
});
