// Drives the real health-check handler: environment pointing at dynalite, a catalog whose providers
// are simulated upstreams on loopback, one of which goes down and comes back.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { DynamoHealthStore } from '#adapters/dynamodb/health-store.ts';
import { envNames } from '#contracts/env.ts';
import { metricNames, metricNamespace } from '#contracts/metrics.ts';
import { healthTable } from '#contracts/tables.ts';
import { defaultBreakerSettings, recordFailure } from '#core/health/circuit-breaker.ts';
import type { ProviderHealth } from '#core/health/provider-health.ts';
import type { HealthCheckSummary } from '#handlers/health-check.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import type { DynamoStandIn } from '#local/dynamodb-standin.ts';
import { startHealthScheduler } from '#local/health-scheduler.ts';
import { startSimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import type { SimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import { standInDocuments } from '../support/local-stack-fixture.ts';
import { installLambdaJsonLogs, metricDocuments, wrappedMetricLines } from '../support/lambda-json-logs.ts';
import type { JsonLogCapture } from '../support/lambda-json-logs.ts';

const KEY_ENV = 'E2E_HEALTH_SIM_KEY';
const KEY = 'sk-e2e-health-check-key-0123456789';

let ddb: DynamoStandIn;
let dir: string;
let steady: SimulatedUpstream;
let steadyAnthropic: SimulatedUpstream;
let flaky: SimulatedUpstream | undefined;
let flakyPort: number;
let store: DynamoHealthStore;
let documents: DynamoDBDocumentClient;
let invoke: () => Promise<HealthCheckSummary>;
let logs: JsonLogCapture;

const model = (id: string, provider: string) => ({
  id, provider, upstreamId: 'gpt-4o-mini', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 },
  contextWindow: 100_000, maxOutputTokens: 8000, quality: { overall: 0.8 },
});

beforeAll(async () => {
  ddb = await startDynamoStandIn();
  steady = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 5 });
  steadyAnthropic = await startSimulatedUpstream({ kind: 'anthropic', latencyMs: 5 });
  flaky = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 5 });
  flakyPort = Number(new URL(flaky.url).port);
  dir = mkdtempSync(join(tmpdir(), 'health-check-e2e-'));
  const apiKey = { env: KEY_ENV };
  const catalogPath = join(dir, 'catalog.json');
  writeFileSync(catalogPath, JSON.stringify({
    version: 1,
    providers: [
      { id: 'steady', kind: 'openai-compatible', baseUrl: steady.url, apiKey },
      { id: 'steady-anthropic', kind: 'anthropic', baseUrl: steadyAnthropic.url, apiKey },
      { id: 'flaky', kind: 'openai-compatible', baseUrl: flaky.url, apiKey },
      { id: 'bedrock', kind: 'bedrock', region: 'us-east-1' },
    ],
    models: [model('steady-1', 'steady'), model('steady-anthropic-1', 'steady-anthropic'), model('flaky-1', 'flaky'), model('bedrock-1', 'bedrock')],
  }));
  Object.assign(process.env, {
    [envNames.catalogPath]: catalogPath,
    [healthTable.envVar]: ddb.tableNames.health,
    [KEY_ENV]: KEY,
    AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  delete process.env[envNames.providerSecretArn];
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: ddb.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
  store = new DynamoHealthStore({ tableName: ddb.tableNames.health!, client: standInDocuments(ddb.endpoint) });
  // Under the runtime's JSON log format, as in the deployed function.
  logs = installLambdaJsonLogs();
  const { handler } = await import('#handlers/health-check.ts');
  invoke = () => handler({}, {} as Context) as Promise<HealthCheckSummary>;
});

afterAll(async () => {
  logs?.restore();
  await Promise.all([steady.close(), steadyAnthropic.close(), flaky?.close()]);
  documents.destroy();
  await ddb.close();
  rmSync(dir, { recursive: true, force: true });
});

async function records(): Promise<Map<string, ProviderHealth>> {
  return new Map((await store.getAll()).providers.map((r) => [r.providerId, r] as const));
}

/** ProviderUnhealthy per provider from the top-level EMF documents written to stdout since `from`. */
function unhealthyMetrics(from: number): Record<string, number> {
  const out: Record<string, number> = {};
  const lines = logs.stdout.slice(from);
  expect(wrappedMetricLines(lines)).toEqual([]);
  for (const doc of metricDocuments(lines)) {
    expect(doc._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: metricNamespace, Dimensions: [['Provider']] });
    out[doc['Provider'] as string] = doc[metricNames.providerUnhealthy] as number;
  }
  return out;
}

describe('health-check handler', () => {
  it('records every provider as healthy while they all answer', async () => {
    const from = logs.stdout.length;
    const summary = await invoke();
    expect(summary.unhealthy).toEqual([]);
    expect(summary.providers.find((p) => p.providerId === 'bedrock')).toMatchObject({ skipped: true, status: 'healthy' });
    const stored = await records();
    expect([...stored.keys()].sort()).toEqual(['bedrock', 'flaky', 'steady', 'steady-anthropic']);
    expect(stored.get('steady')).toMatchObject({ status: 'healthy', consecutiveSuccesses: 1, consecutiveFailures: 0 });
    expect(stored.get('steady')?.latencyMs).toBeTypeOf('number');
    expect(unhealthyMetrics(from)).toEqual({ steady: 0, 'steady-anthropic': 0, flaky: 0, bedrock: 0 });
    expect([...logs.stdout, ...logs.stderr].join('\n')).not.toContain(KEY);
  });

  it('marks a provider unhealthy after 3 failing runs', async () => {
    await flaky!.close();
    flaky = undefined;
    const statuses: string[] = [];
    for (let run = 0; run < 3; run++) {
      const from = logs.stdout.length;
      const summary = await invoke();
      statuses.push(summary.providers.find((p) => p.providerId === 'flaky')!.status);
      expect(unhealthyMetrics(from)).toMatchObject({ flaky: 1, steady: 0, 'steady-anthropic': 0 });
    }
    expect(statuses).toEqual(['degraded', 'degraded', 'unhealthy']);
    const flakyRecord = (await records()).get('flaky');
    expect(flakyRecord).toMatchObject({ status: 'unhealthy', consecutiveFailures: 3, consecutiveSuccesses: 0 });
    expect(flakyRecord?.lastError).toMatch(/could not be reached/);
    expect((await records()).get('steady')).toMatchObject({ status: 'healthy', consecutiveSuccesses: 4 });
  });

  it('marks it healthy again after 2 succeeding runs', async () => {
    flaky = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 5, port: flakyPort });
    let from = logs.stdout.length;
    const first = await invoke();
    expect(first.providers.find((p) => p.providerId === 'flaky')).toMatchObject({ ok: true, status: 'unhealthy' });
    expect(first.unhealthy).toEqual(['flaky']);
    expect(unhealthyMetrics(from).flaky).toBe(1);
    from = logs.stdout.length;
    const second = await invoke();
    expect(second.unhealthy).toEqual([]);
    expect(unhealthyMetrics(from).flaky).toBe(0);
    expect((await records()).get('flaky')).toMatchObject({ status: 'healthy', consecutiveSuccesses: 2, consecutiveFailures: 0 });
  });

  it('raises ProviderUnhealthy for a provider whose model has an open circuit', async () => {
    await store.updateBreaker('steady-anthropic-1', (state) => {
      let out = state;
      for (let i = 0; i < 3; i++) out = recordFailure(out, Date.now(), defaultBreakerSettings, 'server_error');
      return out;
    });
    const from = logs.stdout.length;
    await invoke();
    expect(unhealthyMetrics(from)).toMatchObject({ 'steady-anthropic': 1, steady: 0, flaky: 0 });
  });
});

describe('local health scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the handler at once, then on the interval, never overlapping', async () => {
    // Fake timers that still tick with real time (the handler's probes and upstreams need it), so
    // that after stop() a whole minute of schedule can pass at once.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let running = 0;
    let maxRunning = 0;
    const before = (await records()).get('steady')!.checkedAt;
    const scheduler = startHealthScheduler({
      intervalMs: 30,
      invoke: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        try {
          await invoke();
        } finally {
          running -= 1;
        }
      },
    });
    await vi.waitFor(() => expect(scheduler.runs).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 10 });
    await scheduler.stop();
    const runs = scheduler.runs;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(scheduler.runs).toBe(runs);
    expect(maxRunning).toBe(1);
    expect((await records()).get('steady')!.checkedAt).toBeGreaterThan(before);
  });

  it('keeps going after a failed run', async () => {
    vi.useFakeTimers(); // vi.waitFor advances them by its interval on every check
    let calls = 0;
    const errors: unknown[] = [];
    const scheduler = startHealthScheduler({
      intervalMs: 5,
      invoke: async () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
      },
      onError: (error) => errors.push(error),
    });
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(2), { timeout: 2000, interval: 5 });
    await scheduler.stop();
    expect(errors).toHaveLength(1);
  });
});
