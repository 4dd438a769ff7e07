// `set-budget --prefer-cheaper-at 0.5` end to end: once spend (plus holds) reaches half the budget, a
// route walks its candidates cheapest first; the decision shows in `x-router-strategy` and in the
// cost record. A model the caller named keeps its order.
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand as WireUpdateCommand } from '#adapters/aws/dynamodb-commands.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdNumber } from '#adapters/dynamodb/budget-guard.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { tenantTable, usageTable } from '#contracts/tables.ts';
import { budgetPeriod } from '#core/budget/budget.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { completionBody, startFaultStack } from '../support/fault-stack.ts';
import type { FaultStack } from '../support/fault-stack.ts';
import { localDocuments, standInDocuments } from '../support/local-stack-fixture.ts';

let f: FaultStack;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  f = await startFaultStack(
    [
      { id: 'dear', quality: 0.95, price: { input: 5, output: 20 }, fallbacks: ['cheap'] },
      { id: 'cheap', quality: 0.6, price: { input: 0.5, output: 1 } },
    ],
    { circuitBreaker: { failureThreshold: 1000, minCalls: 1000 } },
    { best: { strategy: 'quality-first' } },
  );
  documents = localDocuments(f.stack);
  // What `npm run admin -- set-budget --tenant local --monthly-usd 1 --prefer-cheaper-at 0.5` stores.
  await documents.send(new PutCommand({
    TableName: f.stack.tableNames[tenantTable.name],
    Item: { pk: tenantTableKeys.tenantPk('local'), sk: tenantTableKeys.tenantBudgetSk, monthlyUsd: 1, preferCheaperAt: 0.5 },
  }));
});

afterAll(async () => {
  documents?.destroy();
  await f?.close();
});

async function ask(model: string) {
  f.upstreams['dear']!.enqueue({ body: completionBody('from dear') });
  f.upstreams['cheap']!.enqueue({ body: completionBody('from cheap') });
  const { data, response } = await f.client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'Which model answers?' }], max_tokens: 50 })
    .withResponse();
  const requestId = response.headers.get('x-request-id');
  const [record] = (await costRecordsFor(f.stack, 'local')).filter((r) => r['requestId'] === requestId);
  for (const u of Object.values(f.upstreams)) u.clear();
  return { model: data.model, strategy: response.headers.get('x-router-strategy'), record };
}

describe('prefer cheaper models near the budget', () => {
  it('far from the share: the route keeps its strategy and picks the best model', async () => {
    const r = await ask('best');
    expect(r).toMatchObject({ model: 'dear', strategy: 'quality-first' });
    expect(r.record).toMatchObject({ modelId: 'dear', strategy: 'quality-first' });
  });

  it('past the share: the route goes cheapest first, shown in the header and the cost record', async () => {
    // Earlier spend this month: $0.60 of $1, past the 0.5 share.
    // Written as the budget guard writes spend (exact decimal text), through the functions' client.
    await standInDocuments(f.stack.dynamoEndpoint).send(new WireUpdateCommand({
      TableName: f.stack.tableNames[usageTable.name]!,
      Key: { pk: tenantTableKeys.tenantPk('local'), sk: tenantTableKeys.tenantSpendSk(budgetPeriod(Date.now())) },
      UpdateExpression: 'ADD spentUsd :s, committedUsd :s',
      ExpressionAttributeValues: { ':s': usdNumber(0.6) },
    }));

    const r = await ask('best');

    expect(r).toMatchObject({ model: 'cheap', strategy: 'quality-first+prefer-cheaper' });
    expect(r.record).toMatchObject({ modelId: 'cheap', strategy: 'quality-first+prefer-cheaper', ending: 'complete' });
  });

  it('a model the caller named is not switched', async () => {
    const r = await ask('dear');
    expect(r).toMatchObject({ model: 'dear', strategy: 'pinned' });
  });
});
