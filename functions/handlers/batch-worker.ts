// The batch worker Lambda: SQS event source with ReportBatchItemFailures. Records of one event run
// in parallel; each is answered, retried later (visibility set to a growing delay), or dead-lettered.
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { SqsJobQueue, sqsClient } from '#adapters/sqs/job-queue.ts';
import { batchQueue, envNames } from '#contracts/env.ts';
import { jobTable } from '#contracts/tables.ts';
import { BatchItemProcessor } from '#core/batch/process-item.ts';
import type { BatchProcessorDeps, JobCache } from '#core/batch/process-item.ts';
import { retryDelaySeconds } from '#core/batch/retry-delay.ts';
import { systemClock } from '#core/shared/clock.ts';
import { emitCallMetrics } from './shared/call-metrics.ts';
import { coldStart } from './shared/cold-start.ts';
import { parseEnv } from './shared/env.ts';
import { logger } from './shared/logger.ts';
import { routerRuntime } from './shared/router-runtime.ts';

/** Worker settings read from the environment (tests and the local runtime shorten the delays). */
export const batchWorkerEnv = {
  retryBaseSeconds: 'BATCH_RETRY_BASE_SECONDS',
  retryMaxSeconds: 'BATCH_RETRY_MAX_SECONDS',
} as const;

const envSchema = z.object({
  [jobTable.envVar]: z.string().min(1),
  [envNames.batchQueueUrl]: z.string().min(1),
  [batchWorkerEnv.retryBaseSeconds]: z.coerce.number().min(0).default(5),
  [batchWorkerEnv.retryMaxSeconds]: z.coerce.number().min(0).default(900),
});

/** The handler body, for any set of dependencies (tests build their own). */
export function createBatchWorker(deps: BatchProcessorDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
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

const workerRuntime = coldStart(async (): Promise<(event: SQSEvent) => Promise<SQSBatchResponse>> => {
  const env = parseEnv(envSchema, 'Batch worker') as Record<string, string | number>;
  const { chat, catalog, embeddings } = await routerRuntime();
  // Every completed item is a call: it emits the same per-call metrics as the router.
  const meteredChat: BatchProcessorDeps['chat'] = {
    complete: async (...args) => {
      const started = Date.now();
      const routed = await chat.complete(...args);
      emitCallMetrics(routed.outcome, Date.now() - started, routed.costUsd);
      return routed;
    },
  };
  const baseSeconds = env[batchWorkerEnv.retryBaseSeconds] as number;
  const maxSeconds = env[batchWorkerEnv.retryMaxSeconds] as number;
  const meteredEmbeddings: NonNullable<BatchProcessorDeps['embeddings']> = {
    embed: async (...args) => {
      const started = Date.now();
      const routed = await embeddings.embed(...args);
      emitCallMetrics(routed.outcome, Date.now() - started, routed.costUsd);
      return routed;
    },
  };
  return createBatchWorker({
    chat: meteredChat,
    embeddings: meteredEmbeddings,
    routes: catalog.routes,
    jobs: new DynamoJobStore(documentClient(), env[jobTable.envVar] as string),
    queue: new SqsJobQueue(sqsClient(), env[envNames.batchQueueUrl] as string),
    clock: systemClock,
    maxReceiveCount: batchQueue.maxReceiveCount,
    retryDelaySeconds: (receiveCount) => retryDelaySeconds(receiveCount, { baseSeconds, maxSeconds }),
    log: (level, message, fields) => logger[level](message, fields),
  });
});

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .handler(async (event) => (await workerRuntime())(event));
