// The batch API through the local runtime: submit over HTTP, the local worker drains fauxqs, results
// come back as OpenAI batch output lines; validation, tenant isolation, cancel, direct enqueue.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { hashApiKey, keyIdFromHash } from '#core/auth/api-keys.ts';
import type { BatchObject, OutputLine } from '#core/batch/batch-object.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';
import { callApi } from '../support/batch-api.ts';

let stack: LocalStack;
let sqs: SQSClient;
const OTHER_KEY = `sk-lr-${'o'.repeat(43)}`;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

beforeAll(async () => {
  ({ stack } = await startTestStack());
  sqs = new SQSClient({ endpoint: stack.sqsEndpoint, region: 'us-east-1', credentials, useQueueUrlAsEndpoint: false });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials }));
  const hash = hashApiKey(OTHER_KEY);
  await documents.send(new PutCommand({
    TableName: stack.tableNames['tenants'],
    Item: { pk: tenantTableKeys.apiKeyPk(hash), sk: tenantTableKeys.apiKeySk, tenantId: 'other-tenant', keyId: keyIdFromHash(hash) },
  }));
  documents.destroy();
});

afterAll(async () => {
  sqs?.destroy();
  await stack?.close();
});

const api = (method: string, path: string, body?: unknown, key = stack.apiKey) => callApi(stack, method, path, body, key);

async function waitUntilDone(id: string, key = stack.apiKey): Promise<BatchObject> {
  for (;;) {
    const { json } = await api('GET', `/batches/${id}`, undefined, key);
    const batch = json as BatchObject;
    if (batch.request_counts.queued + batch.request_counts.in_progress === 0) return batch;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const chat = (text: string) => ({ model: 'gpt-5.4-mini', messages: [{ role: 'user', content: text }] });

describe('batch jobs through the local runtime', () => {
  it('runs every item and returns OpenAI batch output lines, one cost record each', async () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ custom_id: `req-${i}`, body: chat(`question ${i}`) }));
    const created = await api('POST', '/batches', { items, metadata: { purpose: 'test' } });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ object: 'batch', status: 'in_progress', endpoint: '/v1/chat/completions', metadata: { purpose: 'test' } });
    expect(created.json.request_counts.total).toBe(12);

    const done = await waitUntilDone(created.json.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toMatchObject({ total: 12, completed: 12, failed: 0 });
    expect(done.completed_at).toBeTypeOf('number');

    const results = await api('GET', `/batches/${done.id}/results`);
    const lines = results.text.trim().split('\n').map((l) => JSON.parse(l) as OutputLine);
    expect(lines.map((l) => l.custom_id)).toEqual(items.map((i) => i.custom_id));
    for (const line of lines) {
      expect(line.error).toBeNull();
      expect(line.response?.status_code).toBe(200);
      expect(line.response?.body.object).toBe('chat.completion');
      expect(line.response?.request_id).toBe(line.id);
    }
    const costs = await costRecordsFor(stack, 'local');
    const ids = new Set(lines.map((l) => l.id));
    expect(costs.filter((c) => ids.has(String(c['requestId'])))).toHaveLength(12);
  });

  it('accepts OpenAI batch input JSONL', async () => {
    const input = ['a', 'b'].map((id) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: chat(id) })).join('\n');
    const created = await api('POST', '/batches', { input, completion_window: '24h' });
    expect(created.status).toBe(200);
    const done = await waitUntilDone(created.json.id);
    expect(done.request_counts.completed).toBe(2);
  });

  it('rejects the whole submission, listing every bad item', async () => {
    const res = await api('POST', '/batches', {
      items: [
        { custom_id: 'ok', body: chat('fine') },
        { custom_id: 'no-messages', body: { model: 'gpt-5.4-mini' } },
        { custom_id: 'ok', body: chat('duplicate') },
        { custom_id: 'streaming', body: { ...chat('x'), stream: true } },
        { custom_id: 'unknown-model', body: { ...chat('x'), model: 'gpt-1' } },
        { body: chat('no id') },
        { custom_id: 'huge', body: chat('x'.repeat(300 * 1024)) },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_batch_items', param: 'items' });
    const byIndex = new Map((res.json.error.items as Array<{ index: number; custom_id: string | null; param: string; message: string }>).map((p) => [p.index, p]));
    expect([...byIndex.keys()]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(byIndex.get(1)).toMatchObject({ custom_id: 'no-messages', param: 'body.messages' });
    expect(byIndex.get(2)).toMatchObject({ custom_id: 'ok', param: 'custom_id' });
    expect(byIndex.get(3)).toMatchObject({ param: 'body.stream' });
    expect(byIndex.get(4)).toMatchObject({ param: 'body.model' });
    expect(byIndex.get(5)).toMatchObject({ custom_id: null, param: 'custom_id' });
    expect(byIndex.get(6)?.message).toMatch(/256 KiB/);
  });

  it('rejects a submission with no items or with too many', async () => {
    expect((await api('POST', '/batches', { items: [] })).json.error.code).toBe('empty_batch');
    const many = Array.from({ length: 50_001 }, (_, i) => ({ custom_id: String(i), body: { model: 'auto', messages: [{ role: 'user', content: 'x' }] } }));
    const res = await api('POST', '/batches', { items: many });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('too_many_items');
  });

  it('keeps tenants apart: another tenant gets 404 for get, results and cancel', async () => {
    const created = await api('POST', '/batches', { items: [{ custom_id: 'mine', body: chat('private') }] });
    const id = created.json.id as string;
    expect((await api('GET', `/batches/${id}`, undefined, OTHER_KEY)).status).toBe(404);
    expect((await api('GET', `/batches/${id}/results`, undefined, OTHER_KEY)).status).toBe(404);
    expect((await api('POST', `/batches/${id}/cancel`, undefined, OTHER_KEY)).status).toBe(404);
    const done = await waitUntilDone(id);
    expect(done.request_counts.completed).toBe(1);
  });

  it('cancels: every item ends completed or cancelled, and the job reads cancelled', async () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ custom_id: `c-${i}`, body: chat(`cancel me ${i}`) }));
    const created = await api('POST', '/batches', { items });
    const cancelled = await api('POST', `/batches/${created.json.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(['cancelling', 'cancelled']).toContain(cancelled.json.status);
    const done = await waitUntilDone(created.json.id);
    expect(done.status).toBe('cancelled');
    expect(done.request_counts.completed + done.request_counts.cancelled).toBe(300);
    const lines = (await api('GET', `/batches/${done.id}/results`)).text.trim().split('\n').map((l) => JSON.parse(l) as OutputLine);
    expect(lines).toHaveLength(300);
    expect(lines.filter((l) => l.error?.code === 'batch_cancelled')).toHaveLength(done.request_counts.cancelled);
  });

  it('runs a message sent straight onto the queue, creating its job; a poison message is recorded and dropped', async () => {
    const message = { version: 1, jobId: 'direct_job_1', itemId: 'one', tenantId: 'local', keyId: 'direct', customId: 'direct-1', request: chat('direct') };
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.queueUrl, MessageBody: JSON.stringify(message) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.queueUrl, MessageBody: JSON.stringify({ ...message, itemId: 'two', version: 99 }) }));
    await new Promise((r) => setTimeout(r, 50));
    let done: BatchObject;
    for (;;) {
      const res = await api('GET', '/batches/direct_job_1');
      if (res.status === 200 && res.json.request_counts.total === 2) {
        done = await waitUntilDone('direct_job_1');
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(done.request_counts).toMatchObject({ total: 2, completed: 1, failed: 1 });
    const lines = (await api('GET', '/batches/direct_job_1/results')).text.trim().split('\n').map((l) => JSON.parse(l) as OutputLine);
    expect(lines.find((l) => l.custom_id === 'direct-1')?.response?.status_code).toBe(200);
    expect(lines.find((l) => l.error)?.error?.code).toBe('invalid_message');
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: stack.dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(attrs.Attributes?.['ApproximateNumberOfMessages']).toBe('0');
  });

  it('lists the tenant\'s batches newest first with OpenAI pagination, never another tenant\'s', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) mine.push((await api('POST', '/batches', { items: [{ custom_id: `l${i}`, body: chat(`list ${i}`) }] })).json.id);
    const theirs = (await api('POST', '/batches', { items: [{ custom_id: 'o', body: chat('other') }] }, OTHER_KEY)).json.id as string;

    const first = await api('GET', '/batches?limit=2');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ object: 'list', has_more: true, first_id: mine[2], last_id: mine[1] });
    expect(first.json.data.map((b: BatchObject) => b.id)).toEqual([mine[2], mine[1]]);
    expect(first.json.data[0]).toMatchObject({ object: 'batch', request_counts: { total: 1 } });
    const next = await api('GET', `/batches?limit=1&after=${mine[1]}`);
    expect(next.json.data.map((b: BatchObject) => b.id)).toEqual([mine[0]]);

    const all: string[] = [];
    for (let after: string | undefined; ;) {
      const page = await api('GET', `/batches?limit=100${after ? `&after=${after}` : ''}`);
      all.push(...page.json.data.map((b: BatchObject) => b.id));
      if (!page.json.has_more) break;
      after = page.json.last_id;
    }
    expect(all).not.toContain(theirs);
    expect(all.slice(0, 3)).toEqual([...mine].reverse());
    expect((await api('GET', '/batches', undefined, OTHER_KEY)).json.data.map((b: BatchObject) => b.id)).toEqual([theirs]);

    expect((await api('GET', '/batches?limit=0')).json.error).toMatchObject({ type: 'invalid_request_error', param: 'limit' });
    expect((await api('GET', '/batches?limit=101')).status).toBe(400);
    expect((await api('GET', `/batches?after=${theirs}`)).json.error).toMatchObject({ param: 'after' });
  });

  it('404 for an unknown batch and 405 for a wrong method', async () => {
    expect((await api('GET', '/batches/batch_nope')).status).toBe(404);
    expect((await api('DELETE', '/batches/batch_nope')).status).toBe(405);
  });
});
