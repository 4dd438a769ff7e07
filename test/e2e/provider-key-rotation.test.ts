// Provider keys take effect without a cold start: the router and the health-check handler read them
// from Secrets Manager (a local stand-in speaking the real protocol), keep them for a bounded time
// (PROVIDER_KEYS_MAX_AGE_SECONDS), and re-read them once when the provider answers 401. The provider
// checks keys for real (keyed upstream in front of a simulated one). Only Date is faked, to move the
// clock past the bound without sleeping; servers and sockets run on real timers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { envNames } from '#contracts/env.ts';
import type { HealthCheckSummary } from '#handlers/health-check.ts';
import { startLocalStack } from '#local/local-stack.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { startSimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import type { SimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import { startKeyedUpstream } from '../support/keyed-upstream.ts';
import type { KeyedUpstream } from '../support/keyed-upstream.ts';
import { startSecretsStandIn } from '../support/secrets-manager-standin.ts';
import type { SecretsStandIn } from '../support/secrets-manager-standin.ts';

const SECRET_ID = 'llm-router/provider-keys';
const KEY_ENV = 'ROTATION_TEST_PROVIDER_KEY';
const KEY_A = 'sk-rotation-first-key-aaaaaaaaaaaa';
const KEY_B = 'sk-rotation-second-key-bbbbbbbbbbb';
const MAX_AGE_SECONDS = 120;

let secrets: SecretsStandIn;
let simulated: SimulatedUpstream;
let provider: KeyedUpstream;
let stack: LocalStack;
let client: OpenAI;
let dir: string;
let healthCheck: () => Promise<HealthCheckSummary>;
let now: number;

const ask = () => client.chat.completions.create({ model: 'keyed-1', messages: [{ role: 'user', content: 'hello' }] });
const probeOf = (summary: HealthCheckSummary) => summary.providers.find((p) => p.providerId === 'keyed')!;
const chatKeys = () => provider.seen.filter((s) => s.path.endsWith('/chat/completions')).map((s) => s.key);
const advance = (ms: number) => { now += ms; vi.setSystemTime(now); };

beforeAll(async () => {
  secrets = await startSecretsStandIn({ [SECRET_ID]: '{}' });
  simulated = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 1, tokensPerSecond: 5000 });
  provider = await startKeyedUpstream(simulated.url, KEY_A);
  dir = mkdtempSync(join(tmpdir(), 'key-rotation-'));
  const catalogPath = join(dir, 'catalog.json');
  writeFileSync(catalogPath, JSON.stringify({
    version: 1,
    providers: [{ id: 'keyed', kind: 'openai-compatible', baseUrl: provider.url, apiKey: { env: KEY_ENV, secretField: 'keyed' } }],
    models: [{
      id: 'keyed-1', provider: 'keyed', upstreamId: 'gpt-4o-mini', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 },
      contextWindow: 100_000, maxOutputTokens: 4096, quality: { overall: 0.8 },
    }],
  }));
  // The env value only keeps the local overlay from replacing the provider with a simulated one;
  // the functions below read the secret, as in AWS.
  stack = await startLocalStack({ port: 0, catalogPath, env: { [KEY_ENV]: 'not-used-by-the-functions', POWERTOOLS_LOG_LEVEL: 'ERROR' } });
  client = new OpenAI({ baseURL: stack.baseUrl, apiKey: stack.apiKey, maxRetries: 0 });
  Object.assign(process.env, {
    [envNames.providerSecretArn]: SECRET_ID,
    [envNames.providerKeysMaxAgeSeconds]: String(MAX_AGE_SECONDS),
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
  });
  const { handler } = await import('#handlers/health-check.ts');
  healthCheck = () => handler({}, {} as Context) as Promise<HealthCheckSummary>;
  now = Date.now();
  vi.useFakeTimers({ toFake: ['Date'], now });
});

afterAll(async () => {
  vi.useRealTimers();
  delete process.env[envNames.providerSecretArn];
  delete process.env[envNames.providerKeysMaxAgeSeconds];
  await stack?.close();
  await provider?.close();
  await simulated?.close();
  await secrets?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('provider keys put after start-up', () => {
  it('are used by the health check and the router once the cache bound has passed', async () => {
    // First deploy: the secret is still `{}`; both functions start without a key and are refused.
    expect(probeOf(await healthCheck())).toMatchObject({ ok: false });
    await expect(ask()).rejects.toBeInstanceOf(OpenAI.APIError);

    secrets.put(SECRET_ID, JSON.stringify({ keyed: KEY_A }));
    const readsAfterPut = secrets.reads;
    advance(10_000);
    // Within the bound, and within the pause between two re-reads forced by a 401, the cached (empty) keys stay.
    expect(probeOf(await healthCheck())).toMatchObject({ ok: false });
    expect(secrets.reads).toBe(readsAfterPut);

    advance((MAX_AGE_SECONDS - 10) * 1000);
    expect(probeOf(await healthCheck())).toMatchObject({ ok: true });
    // Three refused probes made the provider unhealthy; the second good run in a row brings it back.
    expect(probeOf(await healthCheck())).toMatchObject({ ok: true, status: 'healthy' });
    const answer = await ask();
    expect(answer.choices[0]?.message.content).toBeTruthy();
    expect(chatKeys().at(-1)).toBe(KEY_A);
    expect(provider.seen.filter((s) => s.path.endsWith('/models')).at(-1)).toMatchObject({ key: KEY_A, status: 200 });
    // One re-read each: the health check's and the router's.
    expect(secrets.reads).toBe(readsAfterPut + 2);
  });

  it('are re-read once when the provider answers 401 to the cached key (rotation)', async () => {
    provider.accepted = KEY_B;
    secrets.put(SECRET_ID, JSON.stringify({ keyed: KEY_B }));
    advance(40_000); // past the pause between forced re-reads, well within the cache bound
    const before = secrets.reads;
    const seenBefore = chatKeys().length;

    const answer = await ask();

    expect(answer.choices[0]?.message.content).toBeTruthy();
    expect(chatKeys().slice(seenBefore)).toEqual([KEY_A, KEY_B]);
    expect(secrets.reads).toBe(before + 1);

    const summary = await healthCheck();
    expect(probeOf(summary)).toMatchObject({ ok: true });
    expect(secrets.reads).toBe(before + 2);
  });

  it('does not re-read again for a key that stays refused', async () => {
    provider.accepted = 'sk-a-key-nobody-has-cccccccccccccccc';
    const before = secrets.reads;

    await expect(ask()).rejects.toBeInstanceOf(OpenAI.APIError);
    await expect(ask()).rejects.toBeInstanceOf(OpenAI.APIError);

    // The re-read right after the last one is skipped (30 s pause), so a wrong key cannot hammer Secrets Manager.
    expect(secrets.reads).toBe(before);
  });
});
