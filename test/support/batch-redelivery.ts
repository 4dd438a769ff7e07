// What the batch redelivery tests (chat and embeddings) share: dynalite with the project's tables and
// the simulated OpenAI-compatible upstream for the file, a job store whose first `finish` dies (the
// delivery that billed crashes before marking its item finished), a worker that retries at once, and
// the tenant's call records as the cost table holds them.
import { QueryCommand } from '#adapters/aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { expect } from 'vitest';
import { costKeys, costTable, jobTable } from '#contracts/tables.ts';
import { BatchItemProcessor } from '#core/batch/process-item.ts';
import type { BatchProcessorDeps } from '#core/batch/process-item.ts';
import type { JobStore } from '#core/batch/ports.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import type { DynamoStandIn } from '#local/dynamodb-standin.ts';
import { startSimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import type { SimulatedUpstream } from '#local/simulated/simulated-upstream.ts';
import { standInDocuments } from './local-stack-fixture.ts';
import { useForSuite } from './use-for-suite.ts';

export interface RedeliveryStack {
  dynamo: DynamoStandIn;
  documents: DynamoDocuments;
  upstream: SimulatedUpstream;
  /** The cost and jobs tables' physical names. */
  costs: string;
  jobs: string;
}

/** Starts the stand-in and the upstream before the file's tests and closes them after; the handle reads the live ones. */
export function useRedeliveryStack(tablePrefix: string): RedeliveryStack {
  return useForSuite(async () => {
    const dynamo = await startDynamoStandIn({ tablePrefix });
    const upstream = await startSimulatedUpstream({ kind: 'openai-compatible', latencyMs: 0, tokensPerSecond: 0 });
    return { dynamo, upstream, documents: standInDocuments(dynamo.endpoint), costs: dynamo.tableNames[costTable.name]!, jobs: dynamo.tableNames[jobTable.name]! };
  }, async ({ upstream, dynamo }) => {
    await upstream.close();
    await dynamo.close();
  });
}

/** The job store, except that its first `finish` throws 'the worker died'. */
export function dyingOnFirstFinish(store: JobStore): JobStore {
  let crashes = 1;
  return Object.assign(Object.create(store) as JobStore, {
    finish: async (...args: Parameters<JobStore['finish']>) => {
      if (crashes-- > 0) throw new Error('the worker died');
      return store.finish(...args);
    },
  });
}

/** A worker that retries at once and whose queue ignores visibility changes. */
export function redeliveryWorker(deps: Pick<BatchProcessorDeps, 'chat' | 'embeddings' | 'jobs'>): BatchItemProcessor {
  return new BatchItemProcessor({
    ...deps, clock: { now: () => Date.now() }, maxReceiveCount: 5, retryDelaySeconds: () => 0, queue: { changeVisibility: async () => undefined },
  });
}

/** Delivers `body` twice as SQS would (same message, second receive): the first dies in `finish`, the second completes. */
export async function deliverTwice(worker: BatchItemProcessor, body: string, sentAtMs?: number): Promise<void> {
  const sent = sentAtMs === undefined ? {} : { sentAtMs };
  await expect(worker.process({ messageId: 'msg-1', receiptHandle: 'h1', receiveCount: 1, body, ...sent })).rejects.toThrow('the worker died');
  expect(await worker.process({ messageId: 'msg-1', receiptHandle: 'h2', receiveCount: 2, body, ...sent })).toBe('done');
}

/** The tenant's call records in the cost table (budget hold items left out). */
export async function callRecords(stack: Pick<RedeliveryStack, 'documents' | 'costs'>, tenantId: string): Promise<Array<Record<string, unknown>>> {
  const { Items = [] } = await stack.documents.send(new QueryCommand({
    TableName: stack.costs, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :call)',
    ExpressionAttributeValues: { ':pk': costKeys.pk(tenantId), ':call': 'CALL#' },
  }));
  return Items;
}
