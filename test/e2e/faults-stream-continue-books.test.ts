// The breaker, budget and cost records of a continued stream, through the real router over HTTP:
// the break counts against the model that broke (its breaker opens at 1 failure here), the tenant's
// budget counter is settled once with what every attempt cost, and a client that leaves during the
// continuation is billed as such on the continuing model.
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { tenantTable, usageTable } from '#contracts/tables.ts';
import { budgetPeriod } from '#core/budget/budget.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { chunk, completionBody, startFaultStack } from '../support/fault-stack.ts';
import type { FaultStack } from '../support/fault-stack.ts';
import { sseFrame } from '../support/scripted-upstream.ts';
import type { ScriptedResponse, ScriptedSseEvent } from '../support/scripted-upstream.ts';
import { localDocuments } from '../support/local-stack-fixture.ts';

let f: FaultStack;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  f = await startFaultStack([
    { id: 'b-1', fallbacks: ['b-2'] },
    { id: 'b-2', prefill: 'assistant' },
  ], { circuitBreaker: { failureThreshold: 1, cooldownMs: 600_000 } });
  documents = localDocuments(f.stack);
  // Set before the first call: the router remembers a tenant's budget configuration for a minute.
  await documents.send(new PutCommand({
    TableName: f.stack.tableNames[tenantTable.name],
    Item: { pk: tenantTableKeys.tenantPk('local'), sk: tenantTableKeys.tenantBudgetSk, monthlyUsd: 50 },
  }));
});

afterAll(async () => {
  documents?.destroy();
  await f?.close();
});

const start = (...words: string[]): ScriptedSseEvent[] => [{ data: chunk({ role: 'assistant', content: '' }) }, ...words.map((w) => ({ data: chunk({ content: w }) }))];
const cutAfter = (events: ScriptedSseEvent[]): ScriptedResponse => ({
  chunks: [...events.map((e) => ({ data: sseFrame(e) })), { data: '', delayMs: 150 }], headers: { 'content-type': 'text/event-stream' }, destroy: true,
});

async function status(id: string): Promise<unknown> {
  const res = await fetch(`${f.stack.baseUrl}/models`, { headers: { authorization: `Bearer ${f.stack.apiKey}` } });
  const list = await res.json() as { data: Array<Record<string, unknown>> };
  return list.data.find((m) => m['id'] === id)?.['status'];
}

async function spend(): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documents.send(new GetCommand({
    TableName: f.stack.tableNames[usageTable.name],
    Key: { pk: tenantTableKeys.tenantPk('local'), sk: tenantTableKeys.tenantSpendSk(budgetPeriod(Date.now())) },
  }));
  return Item;
}

const recordsOf = async (requestId: string | null) => (await costRecordsFor(f.stack, 'local')).filter((r) => r['requestId'] === requestId)
  .sort((a, b) => Number(a['attempt']) - Number(b['attempt']));

describe('a continued stream, for the books', () => {
  it('a client leaving during the continuation: the continuing attempt is billed as client_disconnected and its upstream call is aborted', async () => {
    f.upstreams['b-1']!.enqueue(cutAfter(start('Begun')));
    f.upstreams['b-2']!.enqueue({ sse: [...start(' and', ' then'), ...Array.from({ length: 20 }, () => ({ data: chunk({ content: ' more' }), delayMs: 200 }))] });
    const controller = new AbortController();
    const { data: stream, response } = await f.client.chat.completions.create({
      model: 'b-1', messages: [{ role: 'user', content: 'Go on.' }], stream: true,
    }, { signal: controller.signal }).withResponse();
    let text = '';
    try {
      for await (const c of stream) {
        text += c.choices[0]?.delta.content ?? '';
        if (text.endsWith(' then')) controller.abort();
      }
    } catch {
      // The client aborting its own stream may surface as an abort error or as the end of the stream.
    }
    expect(text).toBe('Begun and then');
    const requestId = response.headers.get('x-request-id');
    await vi.waitFor(async () => expect((await recordsOf(requestId)).map((x) => [x['modelId'], x['ending']])).toEqual([['b-1', 'stream_broken'], ['b-2', 'client_disconnected']]), { timeout: 5000 });
    await vi.waitFor(() => expect(f.upstreams['b-2']!.clientAborts).toBe(1), { timeout: 5000 });
    f.upstreams['b-2']!.clear();
  });

  it('the break counts against the model that broke (its breaker opens), not against the one that continued', async () => {
    // The previous test's break already opened b-1's breaker (threshold 1); the continuing b-2 stays available.
    expect(await status('b-1')).toBe('circuit_open');
    expect(await status('b-2')).toBe('available');
    // With b-1's breaker open, the next call goes straight to b-2.
    f.upstreams['b-2']!.enqueue({ body: completionBody('Direct.') });
    const answer = await f.client.chat.completions.create({ model: 'b-1', messages: [{ role: 'user', content: 'Again.' }] });
    expect(answer.model).toBe('b-2');
    expect(f.upstreams['b-1']!.requests).toHaveLength(1);
  });

  it('the budget counter is settled with what every attempt cost, and holds nothing after', async () => {
    const records = await costRecordsFor(f.stack, 'local');
    const billed = records.reduce((sum, r) => sum + Number(r['costUsd']), 0);
    expect(records.filter((r) => r['ending'] === 'stream_broken')).toHaveLength(1);
    expect(billed).toBeGreaterThan(0);
    await vi.waitFor(async () => {
      const item = await spend();
      expect(Number(item?.['reservedUsd'])).toBeCloseTo(0, 9);
      expect(Number(item?.['spentUsd'])).toBeCloseTo(billed, 9);
    }, { timeout: 5000 });
  });
});
