// A provider that is down for a while and then recovers, through the real router over HTTP: the
// breaker opens after 3 consecutive failures, routing skips the model (visible in GET /v1/models),
// after the cooldown (1 s here, from catalog defaults.circuitBreaker, passed on a faked clock) it is
// tried again and closes after 2 successes.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoHealthStore } from '#adapters/dynamodb/health-store.ts';
import { healthTable } from '#contracts/tables.ts';
import { completionBody, startFaultStack } from '../support/fault-stack.ts';
import type { FaultStack } from '../support/fault-stack.ts';
import { localDocuments, standInDocuments } from '../support/local-stack-fixture.ts';

let f: FaultStack;
let documents: DynamoDBDocumentClient;
let store: DynamoHealthStore;

beforeAll(async () => {
  f = await startFaultStack([{ id: 'flaky-1', fallbacks: ['steady-1'] }, { id: 'steady-1' }], {
    circuitBreaker: { failureThreshold: 3, cooldownMs: 1000, halfOpenSuccesses: 2 },
  });
  documents = localDocuments(f.stack);
  store = new DynamoHealthStore({ tableName: f.stack.tableNames[healthTable.name]!, client: standInDocuments(f.stack.dynamoEndpoint) });
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await f?.close();
  documents?.destroy();
});

const hello = [{ role: 'user' as const, content: 'Are you there?' }];
const flakyCalls = (): number => f.upstreams['flaky-1']!.requests.length;

async function ask() {
  const { data, response } = await f.client.chat.completions.create({ model: 'flaky-1', messages: hello }).withResponse();
  return { model: data.model, header: response.headers.get('x-router-model'), attempts: Number(response.headers.get('x-router-attempts')) };
}

async function status(id: string): Promise<unknown> {
  const res = await fetch(`${f.stack.baseUrl}/models`, { headers: { authorization: `Bearer ${f.stack.apiKey}` } });
  const list = await res.json() as { data: Array<Record<string, unknown>> };
  return list.data.find((m) => m['id'] === id)?.['status'];
}

const storedBreaker = async () => (await store.getAll()).breakers.get('flaky-1');

describe('a provider down for a while, then back', () => {
  it('opens the breaker after 3 consecutive failures and routes around the model', async () => {
    const down = { status: 503, body: { error: { message: 'down for maintenance' } } };
    f.upstreams['flaky-1']!.enqueue(down, down, down);
    f.upstreams['steady-1']!.enqueue({ body: completionBody('steady 1') }, { body: completionBody('steady 2') }, { body: completionBody('steady 3') });
    expect(await status('flaky-1')).toBe('available');

    // Two failures (503 plus its retry), then the fallback answers.
    expect(await ask()).toEqual({ model: 'steady-1', header: 'steady-1', attempts: 3 });
    // The third failure opens the breaker: no retry on an open circuit, straight to the fallback.
    expect(await ask()).toEqual({ model: 'steady-1', header: 'steady-1', attempts: 2 });
    expect(flakyCalls()).toBe(3);

    expect(await status('flaky-1')).toBe('circuit_open');
    expect(await status('steady-1')).toBe('available');
    await vi.waitFor(async () => expect((await storedBreaker())?.status).toBe('open'), { timeout: 5000, interval: 50 });

    // While open, the pinned model is skipped without a call.
    expect(await ask()).toEqual({ model: 'steady-1', header: 'steady-1', attempts: 1 });
    expect(flakyCalls()).toBe(3);
  });

  it('tries it again after the cooldown and closes after 2 successes', async () => {
    // The cooldown passes on the router's clock (Date.now, faked and still ticking) instead of being
    // slept through; timers, sockets and the stand-ins keep real time.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.advanceTimersByTime(1100);
    expect(await status('flaky-1')).toBe('available'); // half-open lets calls through
    f.upstreams['flaky-1']!.enqueue({ body: completionBody('back 1') }, { body: completionBody('back 2') });

    expect(await ask()).toEqual({ model: 'flaky-1', header: 'flaky-1', attempts: 1 });
    expect(await ask()).toEqual({ model: 'flaky-1', header: 'flaky-1', attempts: 1 });
    expect(flakyCalls()).toBe(5);

    await vi.waitFor(async () => {
      const breaker = await storedBreaker();
      expect(breaker?.status).toBe('closed');
      expect(breaker?.consecutiveFailures).toBe(0);
    }, { timeout: 5000, interval: 50 });
    expect(await status('flaky-1')).toBe('available');
    expect(f.upstreams['flaky-1']!.pending).toBe(0);
    expect(f.upstreams['steady-1']!.pending).toBe(0);
  });
});
