// A small monthly budget against 50 concurrent long answers that set no max_tokens, through the
// openai client: spend stays within the budget plus one hold, near the limit answers are capped (and
// say so in `x-router-max-tokens-capped`), and a 429 comes only when the free budget cannot pay a
// typical answer, with spent, held and remaining amounts that add up.
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { costTable, tenantTable, usageTable } from '#contracts/tables.ts';
import { budgetPeriod } from '#core/budget/budget.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { startFaultStack } from '../support/fault-stack.ts';
import type { FaultStack } from '../support/fault-stack.ts';
import type { RecordedRequest, ScriptedResponse } from '../support/scripted-upstream.ts';
import { localDocuments } from '../support/local-stack-fixture.ts';

const BUDGET_USD = 0.05;
const LONG_ANSWER_TOKENS = 3000; // longer than the catalog's assumed 1,024 output tokens
const OUTPUT_PRICE = 2 / 1e6; // the fault stack's model: $1 in, $2 out per 1M tokens
const MAX_OUTPUT = 4096;

let f: FaultStack;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  f = await startFaultStack([{ id: 'long', maxOutputTokens: MAX_OUTPUT }], { circuitBreaker: { failureThreshold: 1000, minCalls: 1000 } });
  documents = localDocuments(f.stack);
  await documents.send(new PutCommand({ TableName: tenants(), Item: { pk: tenantTableKeys.tenantPk('local'), sk: tenantTableKeys.tenantBudgetSk, monthlyUsd: BUDGET_USD } }));
});

afterAll(async () => {
  documents?.destroy();
  await f?.close();
});

const tenants = (): string => f.stack.tableNames[tenantTable.name]!;

/** A provider that writes long answers, but honours max_tokens as real providers do. */
function longAnswer(request: RecordedRequest): ScriptedResponse {
  const asked = (request.json as { max_tokens?: number }).max_tokens;
  const tokens = Math.min(asked ?? LONG_ANSWER_TOKENS, LONG_ANSWER_TOKENS);
  return {
    body: {
      id: 'chatcmpl-long', object: 'chat.completion', created: 1, model: 'long-upstream',
      choices: [{ index: 0, message: { role: 'assistant', content: 'word '.repeat(tokens) }, finish_reason: tokens < LONG_ANSWER_TOKENS ? 'length' : 'stop' }],
      usage: { prompt_tokens: 20, completion_tokens: tokens, total_tokens: 20 + tokens },
    },
  };
}

const ask = (i: number) => f.client.chat.completions
  .create({ model: 'long', messages: [{ role: 'user', content: `Write a long essay, number ${i}.` }] })
  .withResponse();

/** Reads "$a spent, $b held by calls in flight, $c remaining" and "costs $d" out of a 429 message. */
function amounts(message: string): { limit: number; spent: number; held: number; remaining: number; typical: number } {
  const usd = (pattern: RegExp): number => Number(pattern.exec(message)?.[1]);
  return {
    limit: usd(/is \$([\d.]+):/), spent: usd(/\$([\d.]+) spent/), held: usd(/\$([\d.]+) held/),
    remaining: usd(/\$([\d.]+) remaining/), typical: usd(/costs \$([\d.]+)/),
  };
}

describe('a small budget under 50 concurrent long answers without max_tokens', () => {
  it('far from the limit an answer is not capped', async () => {
    f.upstreams['long']!.enqueue(longAnswer);

    const { data, response } = await ask(0);

    expect(response.headers.get('x-router-max-tokens-capped')).toBeNull();
    expect((f.upstreams['long']!.requests.at(-1)!.json as Record<string, unknown>)['max_tokens']).toBeUndefined();
    expect(data.usage?.completion_tokens).toBe(LONG_ANSWER_TOKENS);
  });

  it('spends at most the budget plus one hold, caps near the limit, and refuses only what the free budget cannot pay', async () => {
    const upstream = f.upstreams['long']!;
    for (let i = 0; i < 50; i++) upstream.enqueue(longAnswer);
    const seenBefore = upstream.requests.length;

    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => ask(i + 1)));

    const answered = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as InstanceType<typeof OpenAI.APIError>] : []));
    expect(answered.length).toBeGreaterThan(1);
    expect(refused.length).toBeGreaterThan(0);

    // Every refusal: 429, and the free budget really could not pay a typical answer.
    for (const error of refused) {
      expect(error.status).toBe(429);
      expect(error.code).toBe('insufficient_quota');
      const a = amounts(error.message);
      expect(a.limit).toBe(BUDGET_USD);
      expect(a.remaining).toBeLessThan(a.typical);
      expect(a.spent + a.held + a.remaining).toBeCloseTo(BUDGET_USD, 5);
    }

    // Near the limit answers were capped; the cap reached the provider and the header says so.
    const capped = answered.filter((r) => r.response.headers.get('x-router-max-tokens-capped') !== null);
    expect(capped.length).toBeGreaterThan(0);
    const sent = upstream.requests.slice(seenBefore).map((r) => (r.json as { max_tokens?: number }).max_tokens);
    for (const r of capped) {
      const cap = Number(r.response.headers.get('x-router-max-tokens-capped'));
      expect(cap).toBeLessThan(MAX_OUTPUT);
      expect(sent).toContain(cap);
      expect(r.data.usage?.completion_tokens).toBeLessThanOrEqual(cap);
    }

    // Spend: within the budget plus one request's hold (its worst case), by the records and the counter.
    const records = (await costRecordsFor(f.stack, 'local')).filter((r) => r['ending'] === 'complete');
    expect(records).toHaveLength(answered.length + 1);
    const spent = records.reduce((sum, r) => sum + Number(r['costUsd']), 0);
    const oneHold = 30 * 1e-6 + MAX_OUTPUT * OUTPUT_PRICE;
    expect(spent).toBeLessThanOrEqual(BUDGET_USD + oneHold);
    const { Item } = await documents.send(new GetCommand({
      TableName: f.stack.tableNames[usageTable.name]!, Key: { pk: tenantTableKeys.tenantPk('local'), sk: tenantTableKeys.tenantSpendSk(budgetPeriod(Date.now())) },
    }));
    expect(Number(Item?.['reservedUsd'])).toBeCloseTo(0, 9);
    expect(Number(Item?.['spentUsd'])).toBeCloseTo(spent, 9);
    const { Items } = await documents.send(new QueryCommand({
      TableName: f.stack.tableNames[costTable.name], KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hold)',
      ExpressionAttributeValues: { ':pk': tenantTableKeys.tenantPk('local'), ':hold': 'HOLD#' },
    }));
    expect(Items).toEqual([]);
    upstream.clear();
  });
});
