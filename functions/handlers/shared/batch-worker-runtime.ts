// The batch worker's body and its dependencies, built once per cold start: the router's chat use
// case (metered like a router call), the job store and the queue.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { documentClient, sqsClient } from './aws-clients.ts';
import { SqsJobQueue } from '#adapters/sqs/job-queue.ts';
import { batchQueue } from '#contracts/env.ts';
import { BatchItemProcessor } from '#core/batch/process-item.ts';
import type { BatchProcessorDeps, JobCache } from '#core/batch/process-item.ts';
import { retryDelaySeconds } from '#core/batch/retry-delay.ts';
import type { RoutingOutcome } from '#core/chat/types.ts';
import { systemClock } from '#core/shared/clock.ts';
import { readBatchWorkerConfig } from './batch-worker-config.ts';
import { emitCallMetrics } from './call-metrics.ts';
import { coldStart } from './cold-start.ts';
import { logger } from './logger.ts';
import { routerRuntime } from './router-runtime.ts';

export type BatchWorker = (event: SQSEvent) => Promise<SQSBatchResponse>;

/** The handler body, for any set of dependencies (tests build their own). */
export function createBatchWorker(deps: BatchProcessorDeps): BatchWorker {
  const processor = new BatchItemProcessor(deps);
  return async (event) => {
    const jobs: JobCache = new Map();
    const failures = await Promise.all(event.Records.map(async (record) => {
      const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1) || 1;
      try {
        const sentAtMs = Number(record.attributes?.SentTimestamp);
        const outcome = await processor.process({
          messageId: record.messageId, receiptHandle: record.receiptHandle, receiveCount, body: record.body,
          ...(Number.isFinite(sentAtMs) && sentAtMs > 0 ? { sentAtMs } : {}),
        }, jobs);
        return outcome === 'done' ? undefined : record.messageId;
      } catch (error) {
        // Storage or queue trouble: the item is untouched or still claimed; a later delivery retries it.
        logger.error('batch record failed', { messageId: record.messageId, receiveCount, error: error as Error });
        await processor.releaseAfterError({ receiptHandle: record.receiptHandle, receiveCount }).catch(() => undefined);
        return record.messageId;
      }
    }));
    return { batchItemFailures: failures.filter((id): id is string => id !== undefined).map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/** Runs one call and emits its per-call metrics. */
async function metered<R extends { outcome: RoutingOutcome; costUsd: number }>(call: () => Promise<R>): Promise<R> {
  const started = Date.now();
  const routed = await call();
  emitCallMetrics(routed.outcome, Date.now() - started, routed.costUsd);
  return routed;
}

/** The worker of this instance; a failed start is not cached, so the next invocation tries again. */
export const batchWorkerRuntime: () => Promise<BatchWorker> = coldStart(async () => {
  const config = readBatchWorkerConfig();
  const { chat, catalog, embeddings } = await routerRuntime();
  // Every completed item is a call: it emits the same per-call metrics as the router (chat and embeddings).
  const meteredChat: BatchProcessorDeps['chat'] = { complete: (...args) => metered(() => chat.complete(...args)) };
  const meteredEmbeddings: NonNullable<BatchProcessorDeps['embeddings']> = { embed: (...args) => metered(() => embeddings.embed(...args)) };
  const { retryBaseSeconds: baseSeconds, retryMaxSeconds: maxSeconds } = config;
  return createBatchWorker({
    chat: meteredChat,
    embeddings: meteredEmbeddings,
    routes: catalog.routes,
    jobs: new DynamoJobStore(documentClient(), config.jobsTableName),
    queue: new SqsJobQueue(sqsClient(), config.queueUrl),
    clock: systemClock,
    maxReceiveCount: batchQueue.maxReceiveCount,
    retryDelaySeconds: (receiveCount) => retryDelaySeconds(receiveCount, { baseSeconds, maxSeconds }),
    log: (level, message, fields) => logger[level](message, fields),
  });
});
