// Budgets through the real HTTP surface: the openai client against the local runtime, with a monthly
// budget on tenant `local` in the tenants table, as an operator would set it.
import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { tenantTable, usageTable } from '#contracts/tables.ts';
import { budgetPeriod } from '#core/budget/budget.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { ChatService } from '#core/chat/chat-service.ts';
import type { ChatRequest } from '#core/chat/openai-types.ts';
import { systemClock } from '#core/shared/clock.ts';
import { DEFAULT_CATALOG } from '#local/local-stack.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { localDocuments, startTestStack } from '../support/local-stack-fixture.ts';

let stack: LocalStack;
let client: OpenAI;
let documents: DynamoDBDocumentClient;

const BUDGET_USD = 0.005;

beforeAll(async () => {
  ({ stack, client } = await startTestStack());
  documents = localDocuments(stack);
  // Set before the first call: the router remembers a tenant's budget configuration for a minute.
  await documents.send(new PutCommand({
    TableName: stack.tableNames[tenantTable.name],
    Item: { pk: tenantTableKeys.tenantPk('local'), sk: tenantTableKeys.tenantBudgetSk, monthlyUsd: BUDGET_USD },
  }));
});

afterAll(async () => {
  documents?.destroy();
  await stack?.close();
});

function request(i: number): ChatRequest {
  return { model: 'gpt-5.4', max_tokens: 40, messages: [{ role: 'user', content: `Budget question number ${i}: what is ${i} squared?` }] };
}

/** The most the router holds for one of these requests: the plan's highest estimate. */
function maxReservationUsd(requests: ChatRequest[]): number {
  const catalog = parseCatalog(JSON.parse(readFileSync(DEFAULT_CATALOG, 'utf8')));
  const planner = new ChatService({
    catalog, clock: systemClock, ledger: { record: async () => undefined },
    provider: () => { throw new Error('planning only'); },
  });
  return Math.max(...requests.map((r) => Math.max(...planner.plan(r, {}).candidates.map((c) => c.estimatedCostUsd))));
}

describe('monthly budgets over HTTP', () => {
  it('never overspends by more than one reservation under 50 parallel calls, and answers 429 insufficient_quota', async () => {
    const requests = Array.from({ length: 50 }, (_, i) => request(i));
    const outcomes = await Promise.allSettled(requests.map((body) => client.chat.completions.create(body as never)));

    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(ok.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error).toBeInstanceOf(OpenAI.APIError);
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(429);
      expect(apiError.code).toBe('insufficient_quota');
      expect(apiError.type).toBe('insufficient_quota');
      expect(apiError.message).toContain("tenant 'local'");
      expect(apiError.message).toContain(budgetPeriod(Date.now()));
    }

    const records = (await costRecordsFor(stack, 'local')).filter((r) => r['cacheHit'] === false);
    expect(records).toHaveLength(ok.length);
    const spent = records.reduce((sum, r) => sum + Number(r['costUsd']), 0);
    expect(spent).toBeLessThanOrEqual(BUDGET_USD + maxReservationUsd(requests));

    // The counter agrees with the records and holds nothing once every call has settled.
    const { Item } = await documents.send(new GetCommand({
      TableName: stack.tableNames[usageTable.name],
      Key: { pk: tenantTableKeys.tenantPk('local'), sk: tenantTableKeys.tenantSpendSk(budgetPeriod(Date.now())) },
    }));
    expect(Item?.['reservedUsd']).toBeCloseTo(0, 9);
    expect(Item?.['spentUsd']).toBeCloseTo(spent, 9);
    expect(Item?.['committedUsd']).toBeCloseTo(spent, 9);
  });

  it('keeps refusing once the budget is spent', async () => {
    const error = await client.chat.completions.create(request(99) as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
  });
});
