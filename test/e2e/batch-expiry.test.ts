// The completion window through the local runtime: items not finished by the deadline end `expired`
// (OpenAI's `batch_expired`) without a provider call, and the job reads `expired`.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BatchObject, OutputLine } from '#core/batch/batch-object.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';
import { callApi } from '../support/batch-api.ts';

let stack: LocalStack;

beforeAll(async () => {
  // Slow answers and one poller (ten calls at a time): a 1 s window cannot hold 60 items.
  ({ stack } = await startTestStack({ simulated: { latencyMs: 400, tokensPerSecond: 5000, errorRate: 0 }, env: { BATCH_LOCAL_WORKERS: '1' } }));
});

afterAll(async () => {
  await stack?.close();
});

const api = (method: string, path: string, body?: unknown) => callApi(stack, method, path, body);

it('ends the items the window closed on as expired, without calling a provider for them', async () => {
  const items = Array.from({ length: 60 }, (_, i) => ({ custom_id: `e-${i}`, body: { model: 'gpt-5.4-mini', messages: [{ role: 'user', content: `expiring ${i}` }] } }));
  const created = await api('POST', '/batches', { items, completion_window: '1s' });
  expect(created.status).toBe(200);
  expect(created.json.expires_at - created.json.created_at).toBeLessThanOrEqual(1);

  let batch: BatchObject;
  for (;;) {
    batch = (await api('GET', `/batches/${created.json.id}`)).json as BatchObject;
    if (batch.request_counts.queued + batch.request_counts.in_progress === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  expect(batch.status).toBe('expired');
  expect(batch.expired_at).toBeTypeOf('number');
  expect(batch.completed_at).toBeNull();
  expect(batch.request_counts.expired).toBeGreaterThan(0);
  expect(batch.request_counts.completed + batch.request_counts.expired).toBe(60);
  const lines = (await api('GET', `/batches/${batch.id}/results`)).text.trim().split('\n').map((l) => JSON.parse(l) as OutputLine);
  expect(lines).toHaveLength(60);
  const expired = lines.filter((l) => l.error?.code === 'batch_expired');
  expect(expired).toHaveLength(batch.request_counts.expired);
  // Only answered items were billed: no provider call was made for an expired one.
  const ids = new Set(lines.map((l) => l.id));
  const costs = (await costRecordsFor(stack, 'local')).filter((c) => ids.has(String(c['requestId'])));
  expect(costs).toHaveLength(batch.request_counts.completed);
  expect(costs.some((c) => expired.some((l) => l.id === c['requestId']))).toBe(false);
  // The listing reports it the same way.
  const listed = (await api('GET', '/batches?limit=1')).json.data[0] as BatchObject;
  expect(listed).toMatchObject({ id: batch.id, status: 'expired' });
});
