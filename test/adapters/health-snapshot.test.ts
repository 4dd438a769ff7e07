import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DeleteCommand, ScanCommand } from '#adapters/aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { DynamoHealthStore } from '#adapters/dynamodb/health-store.ts';
import { HealthSnapshot } from '#core/health/health-snapshot.ts';
import type { SnapshotLog } from '#core/health/health-snapshot.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { defaultBreakerSettings } from '#core/health/circuit-breaker.ts';
import type { BreakerState } from '#core/health/circuit-breaker.ts';
import type { HealthData, HealthStore } from '#core/health/health-store.ts';
import type { ProviderHealth } from '#core/health/provider-health.ts';
import { logger } from '#handlers/shared/logger.ts';
import { healthTable } from '#contracts/tables.ts';
import { startDynalite } from '../support/dynalite-backend.ts';
import { useDynamoBackend } from '../support/use-dynamo-backend.ts';

const T0 = 1_700_000_000_000;
const model = (id: string, provider: string) => ({
  id, provider, upstreamId: id, pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 },
  contextWindow: 100_000, maxOutputTokens: 8000, quality: { overall: 0.8 },
});
const catalog = parseCatalog({
  version: 1,
  providers: [
    { id: 'a', kind: 'openai-compatible', baseUrl: 'http://a.invalid/v1' },
    { id: 'b', kind: 'anthropic', baseUrl: 'http://b.invalid' },
  ],
  models: [model('a-1', 'a'), model('b-1', 'b')],
});
const unhealthy = (providerId: string): ProviderHealth => ({
  providerId, status: 'unhealthy', lastError: 'down', consecutiveFailures: 3, consecutiveSuccesses: 0, checkedAt: T0,
});

let client: DynamoDocuments;
let tableName: string;
let now: number;
const clock = { now: () => now };
const warnings: string[] = [];
const log = { warn: (message: string) => void warnings.push(message) };

/** The real store, counting breaker writes. */
class CountingStore implements HealthStore {
  readonly inner: DynamoHealthStore;
  writes = 0;
  constructor(inner: DynamoHealthStore) {
    this.inner = inner;
  }
  getAll(): Promise<HealthData> {
    return this.inner.getAll();
  }
  putProviderHealth(record: ProviderHealth): Promise<void> {
    return this.inner.putProviderHealth(record);
  }
  updateBreaker(modelId: string, update: (s: BreakerState) => BreakerState): Promise<BreakerState> {
    this.writes += 1;
    return this.inner.updateBreaker(modelId, update);
  }
}

const dynamoStore = (table = tableName) => new DynamoHealthStore({ tableName: table, client, maxAttempts: 20 });
const snapshot = (store: HealthStore = dynamoStore()) => new HealthSnapshot({ store, catalog, clock, log });

useDynamoBackend(startDynalite, (b) => {
  tableName = b.tableNames[healthTable.name]!;
  client = b.store;
});
beforeEach(async () => {
  now = T0;
  warnings.length = 0;
  const items = await client.send(new ScanCommand({ TableName: tableName }));
  for (const item of items.Items ?? []) await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: item['pk'], sk: item['sk'] } }));
});

describe('HealthSnapshot', () => {
  it('accepts the handlers\' powertools logger as its log', () => {
    const routerLog: SnapshotLog = logger;
    expect(typeof routerLog.warn).toBe('function');
  });

  it('serves an empty context before the first load and the stored view after ready()', async () => {
    await dynamoStore().putProviderHealth(unhealthy('a'));
    const snap = snapshot();
    expect(snap.current().unavailable?.size ?? 0).toBe(0);
    await snap.ready();
    expect([...snap.current().unavailable!.keys()]).toEqual(['a-1']);
  });

  it('keeps serving the loaded view until the TTL passes, then refreshes in the background', async () => {
    const store = dynamoStore();
    const snap = snapshot(store);
    await snap.ready();
    expect(snap.current().unavailable?.size).toBe(0);
    await store.putProviderHealth(unhealthy('b'));
    now += 4000;
    expect(snap.current().unavailable?.size).toBe(0);
    now += 1500;
    // Stale: this call still answers from memory and starts the refresh.
    expect(snap.current().unavailable?.size).toBe(0);
    await snap.refresh();
    expect([...snap.current().unavailable!.keys()]).toEqual(['b-1']);
  });

  it('opens a breaker locally at once and writes it through for other instances', async () => {
    const snap = snapshot();
    await snap.ready();
    for (let i = 0; i < 3; i++) snap.recordOutcome('a-1', 'timeout');
    expect(snap.current().unavailable?.get('a-1')).toMatch(/^circuit open \(timeout\)/);
    await snap.flush();
    const stored = (await dynamoStore().getAll()).breakers.get('a-1');
    expect(stored).toMatchObject({ status: 'open', consecutiveFailures: 3, lastFailureKind: 'timeout' });

    const other = snapshot();
    await other.ready();
    expect(other.current().unavailable?.has('a-1')).toBe(true);
    now += defaultBreakerSettings.cooldownMs;
    expect(other.current().unavailable?.has('a-1')).toBe(false);
  });

  it('feeds call latency into observedLatencyMs', async () => {
    const snap = snapshot();
    await snap.ready();
    snap.recordOutcome('b-1', 'success', 2000);
    snap.recordOutcome('b-1', 'success', 1000);
    expect(snap.current().observedLatencyMs?.get('b-1')).toBe(1700);
    await snap.flush();
    expect((await dynamoStore().getAll()).breakers.get('b-1')?.latencyEwmaMs).toBeCloseTo(1700);
  });

  it('ignores outcomes that say nothing about the deployment', async () => {
    const store = new CountingStore(dynamoStore());
    const snap = snapshot(store);
    await snap.ready();
    snap.recordOutcome('a-1', 'content_policy');
    snap.recordOutcome('a-1', 'bad_request');
    snap.recordOutcome('a-1', 'context_length');
    await snap.flush();
    expect(store.writes).toBe(0);
  });

  it('coalesces outcomes recorded while a write is in flight', async () => {
    const store = new CountingStore(dynamoStore());
    const snap = snapshot(store);
    await snap.ready();
    for (let i = 0; i < 20; i++) snap.recordOutcome('b-1', 'success');
    await snap.flush();
    expect(store.writes).toBe(2);
    expect((await store.getAll()).breakers.get('b-1')?.consecutiveSuccesses).toBe(20);
  });

  it('two instances recording at once both land', async () => {
    const one = snapshot();
    const two = snapshot();
    await Promise.all([one.ready(), two.ready()]);
    for (let i = 0; i < 5; i++) {
      one.recordOutcome('a-1', 'success');
      two.recordOutcome('a-1', 'success');
    }
    await Promise.all([one.flush(), two.flush()]);
    expect((await dynamoStore().getAll()).breakers.get('a-1')?.consecutiveSuccesses).toBe(10);
  });

  it('a refresh does not undo local outcomes still being written', async () => {
    const snap = snapshot();
    await snap.ready();
    for (let i = 0; i < 3; i++) snap.recordOutcome('a-1', 'server_error');
    const refreshed = snap.refresh();
    await refreshed;
    expect(snap.current().unavailable?.has('a-1')).toBe(true);
    await snap.flush();
    expect(snap.current().unavailable?.has('a-1')).toBe(true);
  });

  it('logs store failures and never throws them at the caller', async () => {
    const snap = snapshot(dynamoStore('no-such-table'));
    await expect(snap.ready()).resolves.toBeUndefined();
    expect(snap.current()).toBeDefined();
    for (let i = 0; i < 3; i++) expect(() => snap.recordOutcome('a-1', 'connection')).not.toThrow();
    await snap.flush();
    expect(warnings).toContain('health snapshot refresh failed; keeping the previous view');
    expect(warnings).toContain('breaker write-through failed');
    // The local view still has the outcome even though it could not be stored.
    expect(snap.current().unavailable?.has('a-1')).toBe(true);
  });

  it('does not retry a failed load on every call, only after the TTL', async () => {
    const store = new CountingStore(dynamoStore('no-such-table'));
    let loads = 0;
    const getAll = store.getAll.bind(store);
    store.getAll = () => {
      loads += 1;
      return getAll();
    };
    const snap = snapshot(store);
    await snap.ready();
    for (let i = 0; i < 10; i++) snap.current();
    expect(loads).toBe(1);
    now += 5000;
    snap.current();
    await snap.refresh();
    expect(loads).toBe(2);
  });
});

describe('coalesced successes (successWriteDelayMs)', () => {
  const delayed = (store: HealthStore) => new HealthSnapshot({ store, catalog, clock, log, successWriteDelayMs: 60_000 });

  it('a healthy model\'s successes make no store call per request; flush writes them in one', async () => {
    const store = new CountingStore(dynamoStore());
    const snap = delayed(store);
    await snap.ready();
    for (let i = 0; i < 20; i++) snap.recordOutcome('b-1', 'success', 100);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.writes).toBe(0);

    await snap.flush();
    expect(store.writes).toBe(1);
    expect((await store.getAll()).breakers.get('b-1')?.consecutiveSuccesses).toBe(20);
  });

  it('a failure is written at once, with the successes waiting before it', async () => {
    const store = new CountingStore(dynamoStore());
    const snap = delayed(store);
    await snap.ready();
    snap.recordOutcome('a-1', 'success');
    snap.recordOutcome('a-1', 'success');
    snap.recordOutcome('a-1', 'timeout');
    await vi.waitFor(async () => expect((await dynamoStore().getAll()).breakers.get('a-1')?.consecutiveFailures).toBe(1));
    expect(store.writes).toBe(1);
    expect((await dynamoStore().getAll()).breakers.get('a-1')?.buckets.reduce((n, b) => n + b.successes, 0)).toBe(2);
  });

  it('the first success after a failure is written at once (other instances learn of the recovery)', async () => {
    const store = new CountingStore(dynamoStore());
    const snap = delayed(store);
    await snap.ready();
    snap.recordOutcome('a-1', 'server_error');
    await snap.flush();
    const afterFailure = store.writes;
    snap.recordOutcome('a-1', 'success');
    await vi.waitFor(() => expect(store.writes).toBe(afterFailure + 1));
    await vi.waitFor(async () => expect((await dynamoStore().getAll()).breakers.get('a-1')?.consecutiveFailures).toBe(0));
  });
});
