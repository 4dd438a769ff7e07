// The cache judge's call is money and tokens spent for the tenant, through the real stack: the openai
// client against the local router, budgets and token counters on the DynamoDB stand-in, the judge and
// the answering model scripted OpenAI-format upstreams. A judge call is held against the tenant's budget
// and shows in its spend counter; a tenant whose budget (or tokens-per-minute limit) cannot pay a judge
// call is not judged (a plain miss, then its own call meets the normal checks); concurrent judged
// requests never spend past the budget; a failing judge model opens its breaker and the next cheapest
// model judges.
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tenantTable, usageTable, usageKeys } from '#contracts/tables.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { budgetPeriod } from '#core/budget/budget.ts';
import { JUDGE_SYSTEM_PROMPT, judgeQuestion } from '#core/cache/judge-verifier.ts';
import { estimateInputTokens } from '#core/pricing/tokens.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { completionBody, expectScriptsUsed, startFaultStack } from '../support/fault-stack.ts';
import type { FaultStack } from '../support/fault-stack.ts';
import { localDocuments } from '../support/local-stack-fixture.ts';
import type { RecordedRequest, ScriptedResponse } from '../support/scripted-upstream.ts';
import { addTenant } from '../support/tenants.ts';

// USD per token: the judge is the cheapest model of the catalog, `backup` the next, `answerer` the dearest.
const JUDGE_PRICE = 1e-6;
const ANSWER_PRICE = 3e-6;

let f: FaultStack;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  f = await startFaultStack(
    [
      { id: 'judge', price: { input: 1, output: 1 } },
      { id: 'backup', price: { input: 2, output: 2 } },
      { id: 'answerer', price: { input: 3, output: 3 } },
    ],
    // Two judge failures in a row open its breaker for the rest of the file (the last test).
    { circuitBreaker: { failureThreshold: 2, cooldownMs: 600_000 } },
    { ask: { strategy: 'quality-first', allow: ['answerer'], cache: { semantic: { verify: 'differential+judge', minSimilarity: -1 } } } },
  );
  documents = localDocuments(f.stack);
});

afterAll(async () => {
  documents?.destroy();
  await f?.close();
});

afterEach(() => expectScriptsUsed(f));

let counter = 0;
const topic = () => `quorvex-${++counter}-${Math.random().toString(36).slice(2, 7)}`;
const cached = (t: string) => `What temperature does ${t} boil at?`;
const reworded = (t: string) => `At which temperature will ${t} start boiling?`;

async function tenantClient(tenant: string, options: { monthlyUsd?: number; tokensPerMinute?: number } = {}): Promise<OpenAI> {
  const plan = options.tokensPerMinute === undefined ? undefined : { requestsPerSecond: 100, burst: 100, monthlyRequests: 1_000_000, tokensPerMinute: options.tokensPerMinute };
  const key = await addTenant(f.stack, tenant, plan);
  if (options.monthlyUsd !== undefined) {
    await documents.send(new PutCommand({ TableName: f.stack.tableNames[tenantTable.name]!, Item: { pk: tenantTableKeys.tenantPk(tenant), sk: tenantTableKeys.tenantBudgetSk, monthlyUsd: options.monthlyUsd } }));
  }
  return new OpenAI({ baseURL: f.stack.baseUrl, apiKey: key, maxRetries: 0, timeout: 30_000 });
}

async function ask(client: OpenAI, content: string) {
  const answer = await client.chat.completions.create({ model: 'ask', temperature: 0, max_tokens: 1, messages: [{ role: 'user', content }] }).withResponse();
  await f.stack.settled();
  return answer;
}

/**
 * A new topic and a tenant of its own (`<prefix>-<topic>`) whose first question about it was answered
 * and cached: a reworded question about the topic is then put to the judge.
 */
async function cachedTopic(prefix: string, options: Parameters<typeof tenantClient>[1] = {}) {
  const t = topic();
  const tenant = `${prefix}-${t}`;
  const client = await tenantClient(tenant, options);
  f.upstreams['answerer']!.enqueue({ body: completionBody(`The ${t} boils at 80 degrees.`) });
  const first = await ask(client, cached(t));
  return { t, tenant, client, first };
}

/** The tenant's spend counter for this month. */
async function spend(tenant: string): Promise<{ spentUsd: number; reservedUsd: number; committedUsd: number; limitUsd: number }> {
  const { Item } = await documents.send(new GetCommand({
    TableName: f.stack.tableNames[usageTable.name]!, Key: { pk: tenantTableKeys.tenantPk(tenant), sk: tenantTableKeys.tenantSpendSk(budgetPeriod(Date.now())) },
  }));
  return { spentUsd: Number(Item?.['spentUsd'] ?? 0), reservedUsd: Number(Item?.['reservedUsd'] ?? 0), committedUsd: Number(Item?.['committedUsd'] ?? 0), limitUsd: Number(Item?.['limitUsd'] ?? 0) };
}

/** Moves the tenant's counter so that `freeUsd` of its budget remains (as if it had spent the rest). */
async function leaveFree(tenant: string, monthlyUsd: number, freeUsd: number): Promise<void> {
  const now = await spend(tenant);
  const more = monthlyUsd - now.committedUsd - freeUsd;
  await documents.send(new UpdateCommand({
    TableName: f.stack.tableNames[usageTable.name]!, Key: { pk: tenantTableKeys.tenantPk(tenant), sk: tenantTableKeys.tenantSpendSk(budgetPeriod(Date.now())) },
    UpdateExpression: 'ADD spentUsd :m, committedUsd :m', ExpressionAttributeValues: { ':m': more },
  }));
}

/** Every token-per-minute count of the tenant (all minutes: a test may straddle two). */
async function tokensCounted(tenant: string): Promise<number> {
  const { Items = [] } = await documents.send(new QueryCommand({
    TableName: f.stack.tableNames[usageTable.name]!, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tpm)',
    ExpressionAttributeValues: { ':pk': usageKeys.pk(tenant), ':tpm': 'TPM#' },
  }));
  return Items.reduce((sum, item) => sum + Number(item['tokens'] ?? 0), 0);
}

/** What the router holds for one judge call on the judge model: its question's tokens plus max_tokens 3. */
function judgeWorstUsd(prompt: string, cachedPrompt: string): number {
  const tokens = estimateInputTokens({
    model: 'x', messages: [{ role: 'system', content: JUDGE_SYSTEM_PROMPT }, { role: 'user', content: judgeQuestion({ prompt, cachedPrompt, context: '' }) }],
  });
  return (tokens + 3) * JUDGE_PRICE;
}

/** What the router holds for the request's own call (max_tokens 1) on the answering model. */
function ownCallUsd(prompt: string): number {
  return (estimateInputTokens({ model: 'ask', messages: [{ role: 'user', content: prompt }] }) + 1) * ANSWER_PRICE;
}

/** A judge that answers `yes` and reports the tokens it read, as a real provider would. */
function judgeSaysYes(request: RecordedRequest): ScriptedResponse {
  const body = request.json as { messages: Array<{ role: 'system' | 'user'; content: string }> };
  const promptTokens = estimateInputTokens({ model: 'x', messages: body.messages });
  return { body: { ...completionBody('yes'), usage: { prompt_tokens: promptTokens, completion_tokens: 1, total_tokens: promptTokens + 1 } } };
}

const verificationsOf = async (tenant: string) => (await costRecordsFor(f.stack, tenant)).filter((r) => r['purpose'] === 'cache-verification');

/** The request was a plain miss answered fresh by the answering model; no judge was asked or billed. */
async function expectUnjudgedFreshMiss(answer: Awaited<ReturnType<typeof ask>>, t: string, judgedBefore: number, tenant: string): Promise<void> {
  expect(answer.response.status).toBe(200);
  expect(answer.response.headers.get('x-router-cache')).toBe('miss');
  expect(answer.data.choices[0]?.message.content).toBe(`${t}: fresh.`);
  expect(f.upstreams['judge']!.requests.length).toBe(judgedBefore);
  expect(await verificationsOf(tenant)).toEqual([]);
}

describe('the cache judge is charged like any call', () => {
  it('puts the judge\'s cost in the tenant\'s budget usage and its tokens in the tenant\'s minute', async () => {
    const { t, tenant, client } = await cachedTopic('judge-money', { monthlyUsd: 10, tokensPerMinute: 100_000 });
    const before = await spend(tenant);
    const tokensBefore = await tokensCounted(tenant);

    f.upstreams['judge']!.enqueue(judgeSaysYes);
    const second = await ask(client, reworded(t));

    expect(second.response.headers.get('x-router-cache')).toBe('semantic-hit');
    const [verification] = await verificationsOf(tenant);
    expect(verification).toMatchObject({ verifiedRequestId: second.response.headers.get('x-request-id'), modelId: 'judge' });
    const judgeCost = Number(verification!['costUsd']);
    expect(judgeCost).toBeGreaterThan(0);
    const after = await spend(tenant);
    // The hit itself costs nothing: what the counter gained is the judge call, held and settled to its cost.
    expect(after.spentUsd - before.spentUsd).toBeCloseTo(judgeCost, 10);
    expect(after.reservedUsd).toBeCloseTo(0, 10);
    expect(after.committedUsd).toBeCloseTo(after.spentUsd, 10);
    // The minute counted the request's own estimate (settled to 0 for a hit) and the judge's real tokens.
    const judgeTokens = Number(verification!['inputTokens']) + Number(verification!['outputTokens']);
    expect(await tokensCounted(tenant) - tokensBefore).toBe(judgeTokens);
  });

  it('does not judge a tenant whose budget cannot pay a judge call: a plain miss, then its own call is held as usual', async () => {
    const monthlyUsd = 1;
    const { t, tenant, client } = await cachedTopic('judge-poor', { monthlyUsd });
    // Less left than one judge call holds, more than the request's own answer (max_tokens 1) costs.
    const judgeWorst = judgeWorstUsd(reworded(t), cached(t));
    const ownTypical = ownCallUsd(reworded(t));
    expect(judgeWorst).toBeGreaterThan(ownTypical * 1.5);
    await leaveFree(tenant, monthlyUsd, (judgeWorst + ownTypical) / 2);
    const judged = f.upstreams['judge']!.requests.length;

    f.upstreams['answerer']!.enqueue({ body: { ...completionBody(`${t}: fresh.`), usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 } } });
    const second = await ask(client, reworded(t));

    await expectUnjudgedFreshMiss(second, t, judged, tenant);
    const after = await spend(tenant);
    expect(after.spentUsd).toBeLessThanOrEqual(monthlyUsd);
    expect(after.reservedUsd).toBeCloseTo(0, 10);

    // With nothing left at all the request gets the normal 429 for its own call, not a judge error.
    await leaveFree(tenant, monthlyUsd, 0);
    // Another question about the topic (the check reads "the boiling point of X" as the cached question itself,
    // so the melting point is asked).
    const refused = await client.chat.completions.create({ model: 'ask', temperature: 0, max_tokens: 1, messages: [{ role: 'user', content: `Tell me the melting point of ${t}.` }] })
      .then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    expect((refused as InstanceType<typeof OpenAI.APIError>).code).toBe('insufficient_quota');
    expect(f.upstreams['judge']!.requests.length).toBe(judged);
  });

  it('never spends past the budget when many judged requests of one tenant race for its last money', async () => {
    const monthlyUsd = 1;
    const { t, tenant, client, first } = await cachedTopic('judge-race', { monthlyUsd });
    const judgeWorst = judgeWorstUsd(reworded(t), cached(t));
    // Room for every request's own hold (taken in parallel with the lookup, so usually before any judge
    // hold) plus one and a half judge calls: at least one judge is paid for whatever the order of the
    // holds, and the money cannot pay for twelve judges (an own hold is ~0.6 of a judge's).
    const ownWorst = ownCallUsd(reworded(t));
    await leaveFree(tenant, monthlyUsd, 12 * ownWorst * 1.2 + judgeWorst * 1.5);
    const spentBefore = (await spend(tenant)).spentUsd;
    for (let i = 0; i < 12; i++) {
      f.upstreams['judge']!.enqueue(judgeSaysYes);
      f.upstreams['answerer']!.enqueue({ body: { ...completionBody(`${t}: fresh.`), usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 } } });
    }
    const judgedBefore = f.upstreams['judge']!.requests.length;

    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => client.chat.completions
      .create({ model: 'ask', temperature: 0, max_tokens: 1, messages: [{ role: 'user', content: reworded(t) }] }).withResponse()));
    await f.stack.settled();

    for (const outcome of outcomes) {
      // Each request is a hit, a fresh answer, or the normal 429 for its own call; never another error.
      if (outcome.status === 'rejected') expect((outcome.reason as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    }
    const judgeCalls = f.upstreams['judge']!.requests.length - judgedBefore;
    expect(judgeCalls).toBeGreaterThanOrEqual(1);
    expect(judgeCalls).toBeLessThan(12);
    const after = await spend(tenant);
    expect(after.spentUsd).toBeLessThanOrEqual(monthlyUsd + 1e-9);
    expect(after.reservedUsd).toBeCloseTo(0, 10);
    // Every judge call that was made is in the ledger and in the counter.
    expect(await verificationsOf(tenant)).toHaveLength(judgeCalls);
    // The counter moved by exactly what the records of the race cost (judge calls and fresh answers).
    const newSpend = (await costRecordsFor(f.stack, tenant)).filter((r) => r['requestId'] !== first.response.headers.get('x-request-id'))
      .reduce((sum, r) => sum + Number(r['costUsd']), 0);
    expect(after.spentUsd - spentBefore).toBeCloseTo(newSpend, 9);
    for (const upstream of Object.values(f.upstreams)) upstream.clear();
  });

  it('skips the judge when its tokens would exceed the tenant\'s tokens per minute: a miss, and the answer is fresh', async () => {
    // Room for the requests themselves (max_tokens 1), never for a judge question on top of one.
    const { t, tenant, client } = await cachedTopic('judge-tpm', { tokensPerMinute: 60 });
    const judgeTokens = Math.round(judgeWorstUsd(reworded(t), cached(t)) / JUDGE_PRICE);
    expect(judgeTokens).toBeGreaterThan(60);
    const judged = f.upstreams['judge']!.requests.length;

    f.upstreams['answerer']!.enqueue({ body: completionBody(`${t}: fresh.`) });
    const second = await ask(client, reworded(t));

    await expectUnjudgedFreshMiss(second, t, judged, tenant);
  });

  it('aborts the judge call when the client leaves during it: billed and recorded as an abandoned call, the hold settled to exactly that', async () => {
    const { t, tenant, client, first } = await cachedTopic('judge-gone', { monthlyUsd: 10, tokensPerMinute: 100_000 });
    const before = await spend(tenant);
    const judge = f.upstreams['judge']!;
    const judged = judge.requests.length;
    const abortsBefore = judge.clientAborts;
    const answered = f.upstreams['answerer']!.requests.length;
    // The judge never answers on its own; only an abort (the client's, or the judge's 3 s deadline) ends it.
    judge.enqueue({ hang: true });

    const controller = new AbortController();
    void vi.waitFor(() => expect(judge.requests.length).toBeGreaterThan(judged), { timeout: 20_000, interval: 10 })
      .then(() => controller.abort());
    const error = await client.chat.completions
      .create({ model: 'ask', temperature: 0, max_tokens: 1, messages: [{ role: 'user', content: reworded(t) }] }, { signal: controller.signal })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);

    // The router follows the client: the judge upstream sees its request hung up on.
    await vi.waitFor(() => expect(judge.clientAborts).toBe(abortsBefore + 1), { timeout: 20_000, interval: 10 });
    const records = (await costRecordsFor(f.stack, tenant)).filter((r) => r['requestId'] !== first.response.headers.get('x-request-id'));
    // One record, the judge's, billed its prompt as any abandoned call is; the request's own call never started.
    const judgePromptTokens = judgeWorstUsd(reworded(t), cached(t)) / JUDGE_PRICE - 3;
    expect(records).toEqual([expect.objectContaining({
      purpose: 'cache-verification', modelId: 'judge', ending: 'client_disconnected', inputTokens: judgePromptTokens, outputTokens: 0,
    })]);
    expect(Number(records[0]!['costUsd'])).toBeCloseTo(judgePromptTokens * JUDGE_PRICE, 12);
    expect(f.upstreams['answerer']!.requests.length).toBe(answered);
    // The counter moved by exactly what was recorded, and nothing stays held.
    const after = await spend(tenant);
    expect(after.spentUsd - before.spentUsd).toBeCloseTo(Number(records[0]!['costUsd']), 12);
    expect(after.reservedUsd).toBeCloseTo(0, 12);
    expect(after.committedUsd).toBeCloseTo(after.spentUsd, 12);
  });

  // Last in the file: it leaves the judge model's breaker open.
  it('feeds judge failures to the breaker: once the cheapest judge\'s breaker opens, the next cheapest model judges', async () => {
    const { t, client, tenant } = await cachedTopic('judge-health');

    for (const wording of [reworded(t), `Tell me the temperature at which ${t} begins to boil.`]) {
      f.upstreams['judge']!.enqueue({ status: 503, body: { error: { message: 'overloaded', type: 'server_error' } } });
      f.upstreams['answerer']!.enqueue({ body: completionBody(`${t}: fresh.`) });
      const failed = await ask(client, wording);
      expect(failed.response.headers.get('x-router-cache')).toBe('miss');
    }
    const judgeAsked = f.upstreams['judge']!.requests.length;

    f.upstreams['backup']!.enqueue(judgeSaysYes);
    const third = await ask(client, `Could you say at what temperature ${t} boils?`);

    expect(third.response.headers.get('x-router-cache')).toBe('semantic-hit');
    expect(f.upstreams['judge']!.requests.length).toBe(judgeAsked);
    expect(f.upstreams['backup']!.requests.at(-1)!.json).toMatchObject({ model: 'backup-upstream', temperature: 0 });
    const verifications = await verificationsOf(tenant);
    expect(verifications.find((r) => r['verifiedRequestId'] === third.response.headers.get('x-request-id'))).toMatchObject({ modelId: 'backup' });
  });
});
