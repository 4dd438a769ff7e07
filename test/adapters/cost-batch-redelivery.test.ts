// A batch item delivered twice is billed once: the first delivery gets its answer and writes the
// cost record, then dies before it can mark the item finished; SQS delivers the message again and
// the item runs again. The record's key (job + item, and the message's send time) makes the second
// record a duplicate, and the budget is settled once. Real job store, ledger and budget guard on dynalite.
import { GetCommand, PutCommand } from '#adapters/aws/dynamodb-commands.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoBudgetGuard } from '#adapters/dynamodb/budget-guard.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { DynamoCostLedger } from '#adapters/dynamodb/cost-ledger.ts';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { createProviderClient } from '#adapters/providers/create-provider-client.ts';
import { tenantTable } from '#contracts/tables.ts';
import { budgetPeriod } from '#core/budget/budget.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { ChatService } from '#core/chat/chat-service.ts';
import type { ProviderClient } from '#core/chat/ports.ts';
import { callRecords, deliverTwice, dyingOnFirstFinish, redeliveryWorker, useRedeliveryStack } from '../support/batch-redelivery.ts';

const stack = useRedeliveryStack('redelivery-');
const tenants = () => stack.dynamo.tableNames[tenantTable.name]!;

beforeAll(async () => {
  await stack.documents.send(new PutCommand({ TableName: tenants(), Item: { pk: tenantTableKeys.tenantPk('t1'), sk: tenantTableKeys.tenantBudgetSk, monthlyUsd: 10 } }));
});

describe('a batch item delivered twice', () => {
  it('is called again but billed once, and its budget is settled once', async () => {
    const catalog = parseCatalog({
      version: 1,
      providers: [{ id: 'sim', kind: 'openai-compatible', baseUrl: stack.upstream.url, timeoutMs: 5000 }],
      models: [{ id: 'm1', provider: 'sim', upstreamId: 'm1', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 }, contextWindow: 100000, maxOutputTokens: 4096, quality: { overall: 0.5 } }],
    });
    const real = createProviderClient(catalog.providers.get('sim')!, 'key');
    let calls = 0;
    const counting: ProviderClient = { providerId: 'sim', chat: (r, o) => { calls += 1; return real.chat(r, o); }, stream: (r, o) => real.stream(r, o) };
    const chat = new ChatService({
      catalog, provider: () => counting, clock: { now: () => Date.now() },
      ledger: new DynamoCostLedger(stack.documents, stack.costs),
      budget: new DynamoBudgetGuard({ tableName: tenants(), holdsTableName: stack.costs, client: stack.documents }),
    });
    const worker = redeliveryWorker({ chat, jobs: dyingOnFirstFinish(new DynamoJobStore(stack.documents, stack.jobs)) });
    const body = JSON.stringify({ version: 1, jobId: 'batch_twice', itemId: '000000', tenantId: 't1', keyId: 'k1', customId: 'c0', request: { model: 'm1', messages: [{ role: 'user', content: 'Say hi.' }] } });

    await deliverTwice(worker, body, Date.now() - 5_000);

    expect(calls).toBe(2); // the provider really was called twice
    const records = await callRecords(stack, 't1');
    expect(records.map((r) => [r['requestId'], r['ending']])).toEqual([['batch_req_twice_000000', 'complete']]);
    const { Item: counter } = await stack.documents.send(new GetCommand({
      TableName: tenants(), Key: { pk: tenantTableKeys.tenantPk('t1'), sk: tenantTableKeys.tenantSpendSk(budgetPeriod(Date.now())) },
    }));
    expect(Number(counter?.['spentUsd'])).toBeCloseTo(Number(records[0]!['costUsd']), 12);
    expect(Number(counter?.['reservedUsd'])).toBeCloseTo(0, 12);
    expect(counter?.['calls']).toBe(1);
  });
});
