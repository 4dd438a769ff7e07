// A batch item delivered twice is billed once: the first delivery gets its answer and writes the
// cost record, then dies before it can mark the item finished; SQS delivers the message again and
// the item runs again. The record's key (job + item, and the message's send time) makes the second
// record a duplicate, and the budget is settled once. Real job store, ledger and budget guard on dynalite.
import { GetCommand, PutCommand, QueryCommand } from '#adapters/aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoBudgetGuard } from '#adapters/dynamodb/budget-guard.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import { DynamoCostLedger } from '#adapters/dynamodb/cost-ledger.ts';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { createProviderClient } from '#adapters/providers/create-provider-client.ts';
import { costKeys } from '#contracts/tables.ts';
import { budgetPeriod } from '#core/budget/budget.ts';
import { BatchItemProcessor } from '#core/batch/process-item.ts';
import type { JobStore } from '#core/batch/ports.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { ChatService } from '#core/chat/chat-service.ts';
import type { ProviderClient } from '#core/chat/ports.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import type { DynamoStandIn } from '#local/dynamodb-standin.ts';
import { startSimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import type { SimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import { standInDocuments } from '../support/local-stack-fixture.ts';

let dynamo: DynamoStandIn;
let documents: DynamoDocuments;
let upstream: SimulatedUpstream;

beforeAll(async () => {
  dynamo = await startDynamoStandIn({ tablePrefix: 'redelivery-' });
  documents = standInDocuments(dynamo.endpoint);
  upstream = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 0, tokensPerSecond: 0 });
  await documents.send(new PutCommand({ TableName: dynamo.tableNames['tenants']!, Item: { pk: tenantTableKeys.tenantPk('t1'), sk: tenantTableKeys.tenantBudgetSk, monthlyUsd: 10 } }));
});

afterAll(async () => {
  await upstream?.close();
  await dynamo?.close();
});

describe('a batch item delivered twice', () => {
  it('is called again but billed once, and its budget is settled once', async () => {
    const catalog = parseCatalog({
      version: 1,
      providers: [{ id: 'sim', kind: 'openai-compatible', baseUrl: upstream.url, timeoutMs: 5000 }],
      models: [{ id: 'm1', provider: 'sim', upstreamId: 'm1', pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 }, contextWindow: 100000, maxOutputTokens: 4096, quality: { overall: 0.5 } }],
    });
    const real = createProviderClient(catalog.providers.get('sim')!, 'key');
    let calls = 0;
    const counting: ProviderClient = { providerId: 'sim', chat: (r, o) => { calls += 1; return real.chat(r, o); }, stream: (r, o) => real.stream(r, o) };
    const chat = new ChatService({
      catalog, provider: () => counting, clock: { now: () => Date.now() },
      ledger: new DynamoCostLedger(documents, dynamo.tableNames['costs']!),
      budget: new DynamoBudgetGuard({ tableName: dynamo.tableNames['tenants']!, holdsTableName: dynamo.tableNames['costs']!, client: documents }),
    });
    // The first delivery dies right after its answer was billed, before the item is marked finished.
    const store = new DynamoJobStore(documents, dynamo.tableNames['jobs']!);
    let crashes = 1;
    const crashing: JobStore = Object.assign(Object.create(store) as JobStore, {
      finish: async (...args: Parameters<JobStore['finish']>) => {
        if (crashes-- > 0) throw new Error('the worker died');
        return store.finish(...args);
      },
    });
    const worker = new BatchItemProcessor({
      chat, jobs: crashing, clock: { now: () => Date.now() }, maxReceiveCount: 5, retryDelaySeconds: () => 0,
      queue: { changeVisibility: async () => undefined },
    });
    const body = JSON.stringify({ version: 1, jobId: 'batch_twice', itemId: '000000', tenantId: 't1', keyId: 'k1', customId: 'c0', request: { model: 'm1', messages: [{ role: 'user', content: 'Say hi.' }] } });
    const sentAtMs = Date.now() - 5_000;

    await expect(worker.process({ messageId: 'msg-1', receiptHandle: 'h1', receiveCount: 1, body, sentAtMs })).rejects.toThrow('the worker died');
    expect(await worker.process({ messageId: 'msg-1', receiptHandle: 'h2', receiveCount: 2, body, sentAtMs })).toBe('done');

    expect(calls).toBe(2); // the provider really was called twice
    const { Items: records = [] } = await documents.send(new QueryCommand({
      TableName: dynamo.tableNames['costs']!, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :call)',
      ExpressionAttributeValues: { ':pk': costKeys.pk('t1'), ':call': 'CALL#' },
    }));
    expect(records.map((r) => [r['requestId'], r['ending']])).toEqual([['batch_req_twice_000000', 'complete']]);
    const { Item: counter } = await documents.send(new GetCommand({
      TableName: dynamo.tableNames['tenants']!, Key: { pk: tenantTableKeys.tenantPk('t1'), sk: tenantTableKeys.tenantSpendSk(budgetPeriod(Date.now())) },
    }));
    expect(Number(counter?.['spentUsd'])).toBeCloseTo(Number(records[0]!['costUsd']), 12);
    expect(Number(counter?.['reservedUsd'])).toBeCloseTo(0, 12);
    expect(counter?.['calls']).toBe(1);
  });
});
