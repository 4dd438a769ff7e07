// DynamoJobStore against dynalite, and the worker's use case on top of it: claims, one result per
// item, counters, cancel, requeue, and a redelivered finished item that is neither called nor billed.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoJobStore, jobKeys } from '#adapters/dynamodb/job-store.ts';
import { BatchItemProcessor } from '#core/batch/process-item.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { ChatService } from '#core/chat/chat-service.ts';
import type { ProviderClient } from '#core/chat/ports.ts';
import type { CostRecord } from '#core/pricing/ports.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import type { DynamoStandIn } from '#local/dynamodb-standin.ts';
import { createProviderClient } from '#adapters/providers/create-provider-client.ts';
import { startSimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import type { SimulatedUpstream } from '#local/simulated/simulated-upstream.ts';

let dynamo: DynamoStandIn;
let store: DynamoJobStore;
let documents: DynamoDBDocumentClient;
let upstream: SimulatedUpstream;
const job = (jobId: string) => ({ jobId, tenantId: 't1', keyId: 'k1', endpoint: '/v1/chat/completions', completionWindow: '24h', metadata: {}, createdAt: 1_000 });

beforeAll(async () => {
  dynamo = await startDynamoStandIn({ tablePrefix: 'jobs-test-' });
  documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  store = new DynamoJobStore(documents, dynamo.tableNames['jobs']!);
  upstream = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 0, tokensPerSecond: 0 });
});

afterAll(async () => {
  documents?.destroy();
  await upstream?.close();
  await dynamo?.close();
});

describe('DynamoJobStore', () => {
  it('creates a job with its items queued, claims once per delivery, finishes once', async () => {
    await store.createJob(job('j1'), Array.from({ length: 30 }, (_, i) => ({ itemId: String(i).padStart(6, '0'), customId: `c${i}` })));
    expect(await store.getJob('t1', 'j1')).toMatchObject({ total: 30, queued: 30, inProgress: 0 });
    const key = { tenantId: 't1', jobId: 'j1', itemId: '000003' };

    expect((await store.claim(key, 'm1#1', 2)).kind).toBe('claimed');
    expect((await store.claim(key, 'm1#1', 2)).kind).toBe('taken');
    expect((await store.claim(key, 'm1#2', 3)).kind).toBe('claimed');
    expect(await store.getJob('t1', 'j1')).toMatchObject({ queued: 29, inProgress: 1 });

    // Only the delivery holding the claim may write the result, and only once.
    const response = { requestId: 'r', body: { id: 'x', object: 'chat.completion' as const, created: 1, model: 'm', choices: [] }, modelId: 'm', providerId: 'p', attempts: 2, costUsd: 0 };
    expect(await store.finish(key, { state: 'completed', response }, 'm1#1', 4)).toBe(false);
    expect(await store.finish(key, { state: 'completed', response }, 'm1#2', 4)).toBe(true);
    expect(await store.finish(key, { state: 'completed', response }, 'm1#2', 4)).toBe(false);
    expect((await store.claim(key, 'm1#3', 5)).kind).toBe('final');
    expect(await store.getJob('t1', 'j1')).toMatchObject({ queued: 29, inProgress: 0, completed: 1 });
    expect((await store.claim({ ...key, itemId: 'nope' }, 'm9#1', 5)).kind).toBe('missing');
  });

  it('gives a finished job its finish time even when read between the counter write and the stamp', async () => {
    await store.createJob(job('j-race'), [{ itemId: '000000', customId: 'c0' }]);
    const key = { pk: jobKeys.pk('t1', 'j-race'), sk: jobKeys.jobSk };
    // The worker's first write: counters reach zero; its second write (finishedAt) has not happened yet.
    await documents.send(new UpdateCommand({
      TableName: dynamo.tableNames['jobs']!, Key: key,
      UpdateExpression: 'ADD queued :m, completed :p', ExpressionAttributeValues: { ':m': -1, ':p': 1 },
    }));

    const read = await store.getJob('t1', 'j-race');

    expect(read).toMatchObject({ queued: 0, completed: 1 });
    expect(read?.finishedAt).toBeTypeOf('number');
    const stored = await documents.send(new GetCommand({ TableName: dynamo.tableNames['jobs']!, Key: key }));
    expect(stored.Item?.['finishedAt']).toBe(read?.finishedAt);
  });

  it('keeps tenants apart', async () => {
    expect(await store.getJob('someone-else', 'j1')).toBeUndefined();
    expect(await store.requestCancel('someone-else', 'j1', 9)).toBeUndefined();
  });

  it('creates jobs lazily for messages sent straight to the queue, and requeues failed items', async () => {
    await store.ensureItem(job('direct'), { itemId: 'a', customId: 'A' });
    await store.ensureItem(job('direct'), { itemId: 'a', customId: 'A' });
    await store.ensureItem(job('direct'), { itemId: 'b', customId: 'B' });
    expect(await store.getJob('t1', 'direct')).toMatchObject({ total: 2, queued: 2 });
    const a = { tenantId: 't1', jobId: 'direct', itemId: 'a' };
    await store.finish(a, { state: 'failed', error: { code: 'x', message: 'y' } }, undefined, 5);
    expect(await store.getJob('t1', 'direct')).toMatchObject({ queued: 1, failed: 1 });
    expect(await store.requeue(a, 6)).toBe(true);
    expect(await store.requeue(a, 6)).toBe(false);
    expect(await store.getJob('t1', 'direct')).toMatchObject({ queued: 2, failed: 0 });
  });
});

describe('BatchItemProcessor on the real store', () => {
  function processor(calls: { n: number }, costs: CostRecord[]) {
    const catalog = parseCatalog({
      version: 1,
      providers: [{ id: 'sim', kind: 'openai-compatible', baseUrl: upstream.url, timeoutMs: 5000 }],
      models: [{ id: 'm1', provider: 'sim', upstreamId: 'm1', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 }, contextWindow: 100000, maxOutputTokens: 4096, quality: { overall: 0.5 } }],
    });
    const real = createProviderClient(catalog.providers.get('sim')!, 'key');
    const counting: ProviderClient = { providerId: 'sim', chat: (r, o) => { calls.n += 1; return real.chat(r, o); }, stream: (r, o) => real.stream(r, o) };
    const chat = new ChatService({ catalog, provider: () => counting, ledger: { record: async (r) => { costs.push(r); } }, clock: { now: () => Date.now() } });
    const visibility: number[] = [];
    return {
      visibility,
      worker: new BatchItemProcessor({
        chat, jobs: store, clock: { now: () => Date.now() }, maxReceiveCount: 5, retryDelaySeconds: (n) => n * 10,
        queue: { changeVisibility: async (_h, s) => { visibility.push(s); } },
      }),
    };
  }
  const body = (itemId: string, jobId = 'pj') => JSON.stringify({
    version: 1, jobId, itemId, tenantId: 't1', keyId: 'k1', customId: itemId, request: { model: 'm1', messages: [{ role: 'user', content: 'hi' }] },
  });

  it('answers once; a redelivery of a finished item is neither called nor billed', async () => {
    const calls = { n: 0 };
    const costs: CostRecord[] = [];
    const { worker } = processor(calls, costs);
    expect(await worker.process({ messageId: 'm1', receiptHandle: 'h', receiveCount: 1, body: body('one') })).toBe('done');
    expect(await worker.process({ messageId: 'm1', receiptHandle: 'h2', receiveCount: 2, body: body('one') })).toBe('done');
    const items = [];
    for await (const item of store.listItems('t1', 'pj')) items.push(item);
    expect(items.map((i) => [i.state, i.error])).toEqual([['completed', undefined]]);
    expect(calls.n).toBe(1);
    expect(costs).toHaveLength(1);
    expect(await store.getJob('t1', 'pj')).toMatchObject({ total: 1, completed: 1, queued: 0, inProgress: 0 });
  });

  it('records a poison message as failed and drops it; skips items of a cancelled job', async () => {
    const calls = { n: 0 };
    const { worker } = processor(calls, []);
    const poison = JSON.stringify({ ...JSON.parse(body('bad', 'cj')), request: 'not an object' });
    expect(await worker.process({ messageId: 'p', receiptHandle: 'h', receiveCount: 1, body: poison })).toBe('done');
    expect(await worker.process({ messageId: 'z', receiptHandle: 'h', receiveCount: 1, body: '{{{' })).toBe('done');
    await store.requestCancel('t1', 'cj', 10);
    expect(await worker.process({ messageId: 'c', receiptHandle: 'h', receiveCount: 1, body: body('late', 'cj') })).toBe('done');
    expect(calls.n).toBe(0);
    const items = [];
    for await (const item of store.listItems('t1', 'cj')) items.push(item);
    expect(items.map((i) => [i.itemId, i.state, i.error?.code])).toEqual([['bad', 'failed', 'invalid_message'], ['late', 'cancelled', 'batch_cancelled']]);
    expect(await store.getJob('t1', 'cj')).toMatchObject({ total: 2, failed: 1, cancelled: 1 });
  });
});
