// DynamoJobStore against dynalite, and the worker's use case on top of it: claims, one result per
// item, counters, cancel, requeue, and a redelivered finished item that is neither called nor billed.
import { GetCommand, UpdateCommand } from '#adapters/aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoJobStore, jobKeys } from '#adapters/dynamodb/job-store.ts';
import { jobStatus } from '#core/batch/job-model.ts';
import { BatchItemProcessor } from '#core/batch/process-item.ts';
import { settleJob } from '#core/batch/settle-job.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { ChatService } from '#core/chat/chat-service.ts';
import type { ProviderClient } from '#core/chat/ports.ts';
import type { CostRecord } from '#core/pricing/ports.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import type { DynamoStandIn } from '#local/dynamodb-standin.ts';
import { createProviderClient } from '#adapters/providers/create-provider-client.ts';
import { startSimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import type { SimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import { standInDocuments } from '../support/local-stack-fixture.ts';

let dynamo: DynamoStandIn;
let store: DynamoJobStore;
let documents: DynamoDocuments;
let upstream: SimulatedUpstream;
const job = (jobId: string) => ({ jobId, tenantId: 't1', keyId: 'k1', endpoint: '/v1/chat/completions', completionWindow: '24h', metadata: {}, createdAt: 1_000 });

beforeAll(async () => {
  dynamo = await startDynamoStandIn({ tablePrefix: 'jobs-test-' });
  documents = standInDocuments(dynamo.endpoint);
  store = new DynamoJobStore(documents, dynamo.tableNames['jobs']!);
  upstream = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 0, tokensPerSecond: 0 });
});

afterAll(async () => {
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

  it('recounts drifted counters from the item records, and a read settles a job whose items all ended', async () => {
    await store.createJob(job('j-drift'), [{ itemId: '000000', customId: 'c0' }, { itemId: '000001', customId: 'c1' }]);
    const response = { requestId: 'r', body: { id: 'x', object: 'chat.completion' as const, created: 1, model: 'm', choices: [] }, modelId: 'm', providerId: 'p', attempts: 1, costUsd: 0 };
    for (const itemId of ['000000', '000001']) {
      const key = { tenantId: 't1', jobId: 'j-drift', itemId };
      await store.claim(key, `m-${itemId}#1`, 2);
      await store.finish(key, { state: 'completed', response }, `m-${itemId}#1`, 3);
    }
    // A worker that died between an item's write and its counter ADD: the counters still say one in progress.
    const key = { pk: jobKeys.pk('t1', 'j-drift'), sk: jobKeys.jobSk };
    await documents.send(new UpdateCommand({
      TableName: dynamo.tableNames['jobs']!, Key: key,
      UpdateExpression: 'ADD inProgress :p, completed :m REMOVE finishedAt', ExpressionAttributeValues: { ':p': 1, ':m': -1 },
    }));
    const drifted = (await store.getJob('t1', 'j-drift'))!;
    expect(drifted).toMatchObject({ inProgress: 1, completed: 1 });

    // Not yet quiet for long enough: shown as stored.
    expect(await settleJob(store, drifted, drifted.countedAt! + 1_000, { recountQuietMs: 60_000, staleClaimMs: 60_000, maxReceiveCount: 5 })).toMatchObject({ inProgress: 1 });
    const settled = await settleJob(store, drifted, drifted.countedAt! + 60_000, { recountQuietMs: 60_000, staleClaimMs: 60_000, maxReceiveCount: 5 });

    expect(settled).toMatchObject({ total: 2, queued: 0, inProgress: 0, completed: 2, finishedAt: drifted.countedAt! + 60_000 });
    const stored = await documents.send(new GetCommand({ TableName: dynamo.tableNames['jobs']!, Key: key }));
    expect(stored.Item).toMatchObject({ inProgress: 0, completed: 2 });
  });

  it('fails an item whose worker died during its last allowed delivery (its message went to the DLQ unseen)', async () => {
    await store.createJob(job('j-lost'), [{ itemId: 'last', customId: 'l' }, { itemId: 'early', customId: 'e' }]);
    await store.claim({ tenantId: 't1', jobId: 'j-lost', itemId: 'last' }, 'm1#5', 1_000);
    await store.claim({ tenantId: 't1', jobId: 'j-lost', itemId: 'early' }, 'm2#3', 1_000);
    const stalled = (await store.getJob('t1', 'j-lost'))!;

    const settled = await settleJob(store, stalled, 200_000, { recountQuietMs: 60_000, staleClaimMs: 120_000, maxReceiveCount: 5 });

    const last = await store.getItem({ tenantId: 't1', jobId: 'j-lost', itemId: 'last' });
    expect(last).toMatchObject({ state: 'failed', deadLetter: true, error: { code: 'worker_lost' } });
    // An earlier delivery's message comes back to a worker after its visibility timeout: left alone.
    expect((await store.getItem({ tenantId: 't1', jobId: 'j-lost', itemId: 'early' }))?.state).toBe('in_progress');
    expect(settled).toMatchObject({ failed: 1, inProgress: 1 });
  });

  it('does not write a recount when a counter changed meanwhile', async () => {
    await store.createJob(job('j-race'), [{ itemId: '000000', customId: 'c0' }]);
    const key = { pk: jobKeys.pk('t1', 'j-race'), sk: jobKeys.jobSk };
    // Every ADD bumps the version a recount is conditioned on; a recount reading version 0 while the
    // stored one moved on must not overwrite it.
    await documents.send(new UpdateCommand({ TableName: dynamo.tableNames['jobs']!, Key: key, UpdateExpression: 'ADD #v :one, queued :five', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':one': 1, ':five': 5 } }));
    const racing = new DynamoJobStore(documents, dynamo.tableNames['jobs']!);
    const realSend = documents.send.bind(documents);
    let bumped = false;
    // Between the recount's read and its write, another ADD lands once.
    const spy = (command: Parameters<typeof realSend>[0]) => {
      const input = (command as { input?: { UpdateExpression?: string } }).input;
      if (!bumped && input?.UpdateExpression?.includes('recountedAt')) {
        bumped = true;
        return realSend(new UpdateCommand({ TableName: dynamo.tableNames['jobs']!, Key: key, UpdateExpression: 'ADD #v :one', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':one': 1 } }))
          .then(() => realSend(command as never));
      }
      return realSend(command as never);
    };
    (racing as unknown as { client: { send: typeof spy } }).client = { send: spy };
    const result = await racing.recount('t1', 'j-race', 50);
    // The first write lost to the ADD; the second attempt read the new version and won.
    expect(bumped).toBe(true);
    expect(result).toMatchObject({ total: 1, queued: 1, recountedAt: 50 });
  });

  it('lists a tenant\'s jobs newest first, page by page', async () => {
    for (let i = 0; i < 5; i++) await store.createJob({ ...job(`list-${i}`), tenantId: 'lister', createdAt: 10_000 + i }, [{ itemId: '0', customId: 'c' }]);
    const first = await store.listJobs('lister', 2);
    expect(first.jobs.map((j) => j.jobId)).toEqual(['list-4', 'list-3']);
    expect(first.hasMore).toBe(true);
    const last = await store.listJobs('lister', 10, first.jobs.at(-1));
    expect(last.jobs.map((j) => j.jobId)).toEqual(['list-2', 'list-1', 'list-0']);
    expect(last.hasMore).toBe(false);
    expect((await store.listJobs('nobody', 10)).jobs).toEqual([]);
  });

  it('expires pending items past the deadline on read: queued ones, and claims no live worker holds', async () => {
    await store.createJob({ ...job('j-exp'), completionWindow: '1s' }, ['a', 'b', 'c', 'd'].map((itemId) => ({ itemId, customId: itemId })));
    const at = (itemId: string) => ({ tenantId: 't1', jobId: 'j-exp', itemId });
    await store.claim(at('b'), 'mb#1', 1_500); // a live worker, mid-call
    await store.claim(at('c'), 'mc#1', 1_100); // waiting for a retry
    await store.noteRetry(at('c'), 'mc#1', { code: 'upstream_unavailable', message: 'x' }, 1_200);
    await store.claim(at('d'), 'md#1', 1_000); // its worker died long ago
    const before = (await store.getJob('t1', 'j-exp'))!;
    expect(before.deadline).toBe(2_000);

    const settled = await settleJob(store, before, 2_500, { recountQuietMs: 60_000, staleClaimMs: 1_200, maxReceiveCount: 5 });

    const states = new Map<string, string>();
    for await (const item of store.listItems('t1', 'j-exp')) states.set(item.itemId, item.state);
    expect(Object.fromEntries(states)).toEqual({ a: 'expired', b: 'in_progress', c: 'expired', d: 'expired' });
    expect(settled).toMatchObject({ total: 4, expired: 3, inProgress: 1 });
    // The live worker's claim still finishes the item.
    expect(await store.expire(at('b'), 'mb#1', 2_600)).toBe(true);
    expect(jobStatus((await store.recount('t1', 'j-exp', 2_700))!)).toBe('expired');
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
