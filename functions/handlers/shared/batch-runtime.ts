// The batch API's dependencies, built once per cold start (the router function serves /v1/batches).
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { SqsJobQueue, sqsClient } from '#adapters/sqs/job-queue.ts';
import { batchQueue, envNames } from '#contracts/env.ts';
import { jobTable } from '#contracts/tables.ts';
import { BatchService } from '#core/batch/batch-service.ts';
import { systemClock } from '#core/shared/clock.ts';
import { coldStart } from './cold-start.ts';
import { fileStore } from './files-runtime.ts';
import { parseEnv } from './env.ts';
import { routerRuntime } from './router-runtime.ts';

/** How reads settle a job; both default to the worker timeout (tests and the local runtime shorten them). */
export const batchSettleEnv = {
  /** Recount a pending job's counters after this long without a counter change. */
  recountQuietSeconds: 'BATCH_RECOUNT_QUIET_SECONDS',
  /** A claim this old with no word since has no live worker (expiry, lost last deliveries). */
  staleClaimSeconds: 'BATCH_STALE_CLAIM_SECONDS',
} as const;

const schema = z.object({
  [jobTable.envVar]: z.string().min(1),
  [envNames.batchQueueUrl]: z.string().min(1),
  [batchSettleEnv.recountQuietSeconds]: z.coerce.number().min(0).default(batchQueue.workerTimeoutSeconds),
  [batchSettleEnv.staleClaimSeconds]: z.coerce.number().min(0).default(batchQueue.workerTimeoutSeconds),
});

export const batchService: () => Promise<BatchService> = coldStart(async () => {
  const env = parseEnv(schema, 'Batch API') as Record<string, string | number>;
  const { catalog } = await routerRuntime();
  return new BatchService({
    catalog,
    jobs: new DynamoJobStore(documentClient(), env[jobTable.envVar] as string),
    queue: new SqsJobQueue(sqsClient(), env[envNames.batchQueueUrl] as string),
    clock: systemClock,
    newJobId: () => `batch_${randomUUID().replace(/-/g, '')}`,
    settle: {
      recountQuietMs: (env[batchSettleEnv.recountQuietSeconds] as number) * 1000,
      staleClaimMs: (env[batchSettleEnv.staleClaimSeconds] as number) * 1000,
      maxReceiveCount: batchQueue.maxReceiveCount,
    },
    files: await fileStore(),
  });
});
