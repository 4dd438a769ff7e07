import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { probeProvider, redact } from '#adapters/providers/probe.ts';
import type { CatalogProvider } from '#core/catalog/catalog-schema.ts';
import { startSimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import type { SimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import { useScriptedUpstream } from '../support/scripted-upstream.ts';

const openai = (baseUrl: string): CatalogProvider => ({ id: 'oa', kind: 'openai-compatible', baseUrl });
const anthropic = (baseUrl: string): CatalogProvider => ({ id: 'an', kind: 'anthropic', baseUrl });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('probeProvider against simulated upstreams', () => {
  let sim: SimulatedUpstream;
  let simAnthropic: SimulatedUpstream;
  beforeAll(async () => {
    sim = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 5 });
    simAnthropic = await startSimulatedUpstream({ kind: 'anthropic', latencyMs: 5 });
  });
  afterAll(async () => {
    await sim.close();
    await simAnthropic.close();
  });

  it('an openai-compatible provider that lists its models is healthy', async () => {
    const before = sim.stats.requests;
    const result = await probeProvider(openai(sim.url), 'sk-test-key');
    expect(result).toMatchObject({ ok: true });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.error).toBeUndefined();
    expect(sim.stats.requests).toBe(before + 1);
  });

  it('an anthropic provider that lists its models is healthy', async () => {
    const result = await probeProvider(anthropic(simAnthropic.url), 'sk-ant-test');
    expect(result).toMatchObject({ ok: true });
  });

  it('a rejected key is a failed probe (authentication)', async () => {
    const result = await probeProvider(anthropic(simAnthropic.url), undefined);
    expect(result).toMatchObject({ ok: false, kind: 'authentication' });
    expect(result.error).toMatch(/HTTP 4xx/);
  });
});

describe('probeProvider failures on the wire', () => {
  const upstream = useScriptedUpstream();

  it('sends GET {baseUrl}/models with a bearer key, and GET /v1/models with anthropic headers', async () => {
    upstream.enqueue({ body: { object: 'list', data: [] } }, { body: { data: [], has_more: false } });
    await probeProvider(openai(`${upstream.url}/v1`), 'sk-one');
    await probeProvider({ ...anthropic(upstream.url), headers: { 'anthropic-beta': 'x' } }, 'sk-ant-two');
    const [first, second] = upstream.requests.slice(-2);
    expect(first).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(first!.headers.authorization).toBe('Bearer sk-one');
    expect(second).toMatchObject({ method: 'GET', path: '/v1/models?limit=1' });
    expect(second!.headers['x-api-key']).toBe('sk-ant-two');
    expect(second!.headers['anthropic-version']).toBe('2023-06-01');
    expect(second!.headers['anthropic-beta']).toBe('x');
  });

  it('a 503 is a server_error failure', async () => {
    upstream.enqueue({ status: 503, body: { error: { message: 'Service Unavailable', type: 'server_error' } } });
    const result = await probeProvider(openai(upstream.url), 'k');
    expect(result).toMatchObject({ ok: false, kind: 'server_error' });
    expect(result.error).toMatch(/HTTP 5xx/);
  });

  it('a 200 without a model list is a malformed response', async () => {
    upstream.enqueue({ body: { hello: 'world' } }, { body: { hello: 'world' } });
    expect(await probeProvider(openai(upstream.url), 'k')).toMatchObject({ ok: false, kind: 'malformed_response' });
    expect(await probeProvider(anthropic(upstream.url), 'k')).toMatchObject({ ok: false, kind: 'malformed_response' });
  });

  it('a slow server is a timeout, bounded by timeoutMs', async () => {
    upstream.enqueue({ delayMs: 2000, body: { data: [] } });
    const result = await probeProvider(openai(upstream.url), 'k', { timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, kind: 'timeout' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(150);
    expect(result.latencyMs).toBeLessThan(1500);
  });

  it('never returns the key, even when the upstream echoes it', async () => {
    const key = 'sk-proj-SuperSecretValue1234567890';
    upstream.enqueue({ status: 401, body: { error: { message: `Incorrect API key provided: ${key}.`, code: 'invalid_api_key' } } });
    const result = await probeProvider(openai(upstream.url), key);
    expect(result).toMatchObject({ ok: false, kind: 'authentication' });
    expect(result.error).not.toContain('SuperSecret');
    expect(result.error).toContain('invalid_api_key'); // the provider's code, never its text
  });
});

describe('probeProvider without a server', () => {
  it('an unreachable port is a connection failure', async () => {
    const port = await freePort();
    const result = await probeProvider(openai(`http://127.0.0.1:${port}/v1`), 'k');
    expect(result).toMatchObject({ ok: false, kind: 'connection' });
    expect(result.error).toMatch(/could not be reached/);
  });

  it('bedrock is skipped, not probed', async () => {
    expect(await probeProvider({ id: 'br', kind: 'bedrock', region: 'us-east-1' }, undefined)).toEqual({ ok: true, skipped: true, latencyMs: 0 });
  });

  it('redact removes the exact key and key-shaped strings', () => {
    expect(redact('bad key abc123xyz here', 'abc123xyz')).toBe('bad key [REDACTED] here');
    expect(redact('got sk-ant-api03-AAAA and AIzaSyD-0123456789abcdefghij', undefined)).toBe('got [REDACTED] and [REDACTED]');
  });
});
