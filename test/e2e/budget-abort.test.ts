// A client that leaves a stream, through the real HTTP surface with the official openai client and
// an AbortController: the router aborts its upstream call, writes exactly one cost record with the
// ending `client_disconnected` billing what was produced, and holds no money afterwards.
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { costTable, tenantTable, usageTable } from '#contracts/tables.ts';
import { budgetPeriod } from '#core/budget/budget.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { chunk, startFaultStack } from '../support/fault-stack.ts';
import type { FaultStack } from '../support/fault-stack.ts';
import type { ScriptedSseEvent } from '../support/scripted-upstream.ts';
import { localDocuments } from '../support/local-stack-fixture.ts';

let f: FaultStack;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  f = await startFaultStack([{ id: 'm-1' }], { circuitBreaker: { failureThreshold: 1000, minCalls: 1000 } });
  documents = localDocuments(f.stack);
  // A budget, so that holds are taken and their release can be checked.
  await documents.send(new PutCommand({ TableName: tenants(), Item: { pk: tenantTableKeys.tenantPk('local'), sk: tenantTableKeys.tenantBudgetSk, monthlyUsd: 5 } }));
});

afterAll(async () => {
  documents?.destroy();
  await f?.close();
});

const tenants = (): string => f.stack.tableNames[tenantTable.name]!;
const upstream = () => f.upstreams['m-1']!;

/** A long answer: the role chunk, then `words` content chunks `gapMs` apart, then finish and usage. */
function longAnswer(words: number, gapMs: number, options: { firstDelayMs?: number; lastGapMs?: number } = {}): ScriptedSseEvent[] {
  const events: ScriptedSseEvent[] = [{ data: chunk({ role: 'assistant', content: '' }) }];
  for (let i = 0; i < words; i++) {
    events.push({ data: chunk({ content: `word${i} ` }), delayMs: i === 0 ? (options.firstDelayMs ?? gapMs) : gapMs });
  }
  events.push({ data: chunk({}, 'stop'), delayMs: options.lastGapMs ?? gapMs });
  events.push({ data: { ...chunk({}), choices: [], usage: { prompt_tokens: 11, completion_tokens: words * 2, total_tokens: 11 + words * 2 } } });
  events.push({ data: '[DONE]' });
  return events;
}

/**
 * Starts a stream and aborts it once `abortAfterChunks` content chunks arrived; with
 * `beforeFirstToken`, as soon as the upstream has the request (the router holds the response until
 * the first token, so the client has seen nothing yet).
 */
async function abandon(abortAfterChunks: number, beforeFirstToken = false): Promise<{ received: number; error: unknown }> {
  const controller = new AbortController();
  let received = 0;
  if (beforeFirstToken) {
    const seen = upstream().requests.length;
    void vi.waitFor(() => expect(upstream().requests.length).toBeGreaterThan(seen), { timeout: 20_000, interval: 10 })
      .then(() => controller.abort());
  }
  const error = await (async () => {
    const stream = await f.client.chat.completions.create(
      { model: 'm-1', messages: [{ role: 'user', content: 'Tell me a long story.' }], stream: true },
      { signal: controller.signal },
    );
    for await (const c of stream) {
      if (c.choices[0]?.delta.content) received += 1;
      if (!beforeFirstToken && received >= abortAfterChunks) controller.abort();
    }
  })().catch((e: unknown) => e);
  return { received, error };
}

async function recordsOfLastRequest(before: number): Promise<Array<Record<string, unknown>>> {
  // The request id is not visible to a client that left before the headers: records come in key
  // order (request start first), so the ones past `before` belong to the requests made since.
  return (await costRecordsFor(f.stack, 'local')).slice(before);
}

async function heldUsd(): Promise<{ reserved: number; holds: number }> {
  const { Item } = await documents.send(new GetCommand({
    TableName: f.stack.tableNames[usageTable.name]!, Key: { pk: tenantTableKeys.tenantPk('local'), sk: tenantTableKeys.tenantSpendSk(budgetPeriod(Date.now())) },
  }));
  const { Items } = await documents.send(new QueryCommand({
    TableName: f.stack.tableNames[costTable.name], KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hold)',
    ExpressionAttributeValues: { ':pk': tenantTableKeys.tenantPk('local'), ':hold': 'HOLD#' },
  }));
  return { reserved: Number(Item?.['reservedUsd'] ?? 0), holds: Items?.length ?? 0 };
}

describe('a client that aborts a stream', () => {
  const cases = [
    { name: 'before the first token', script: longAnswer(20, 50, { firstDelayMs: 5_000 }), abortAfterChunks: 0, beforeFirstToken: true, output: 0 },
    { name: 'after a few chunks', script: longAnswer(200, 40), abortAfterChunks: 3, output: 'some' as const },
    { name: 'just before the end', script: longAnswer(5, 20, { lastGapMs: 5_000 }), abortAfterChunks: 5, output: 'some' as const },
  ];

  for (const c of cases) {
    it(`${c.name}: the upstream call is aborted, one record with ending client_disconnected, no money held`, async () => {
      const before = (await costRecordsFor(f.stack, 'local')).length;
      const abortsBefore = upstream().clientAborts;
      upstream().enqueue({ sse: c.script });

      const { received } = await abandon(c.abortAfterChunks, c.beforeFirstToken);

      expect(received).toBe(c.abortAfterChunks);
      // The router cut its own upstream call: the scripted provider saw the connection go.
      await vi.waitFor(() => expect(upstream().clientAborts).toBe(abortsBefore + 1), { timeout: 20_000, interval: 25 });
      await vi.waitFor(async () => expect(await recordsOfLastRequest(before)).toHaveLength(1), { timeout: 20_000, interval: 50 });
      const [record] = await recordsOfLastRequest(before);
      expect(record).toMatchObject({ ending: 'client_disconnected', modelId: 'm-1', stream: true, cacheHit: false, attempt: 1 });
      // The prompt is billed (counted by the router: no usage arrived), plus the output produced.
      expect(Number(record?.['inputTokens'])).toBeGreaterThan(0);
      if (c.output === 0) expect(record?.['outputTokens']).toBe(0);
      else expect(Number(record?.['outputTokens'])).toBeGreaterThanOrEqual(c.abortAfterChunks);
      expect(Number(record?.['costUsd'])).toBeGreaterThan(0);
      await vi.waitFor(async () => expect(await heldUsd()).toEqual({ reserved: 0, holds: 0 }), { timeout: 20_000, interval: 50 });
      expect(upstream().pending).toBe(0);
      upstream().clear();
    });
  }

  it('a stream read to the end is billed once as complete and holds nothing', async () => {
    const before = (await costRecordsFor(f.stack, 'local')).length;
    upstream().enqueue({ sse: longAnswer(3, 5) });

    const { received, error } = await abandon(Number.POSITIVE_INFINITY);

    expect(error).toBeUndefined();
    expect(received).toBe(3);
    const records = await recordsOfLastRequest(before);
    expect(records.map((r) => [r['ending'], r['outputTokens']])).toEqual([['complete', 6]]);
    expect(await heldUsd()).toEqual({ reserved: 0, holds: 0 });
  });
});
