// The batch API's dependencies, built once per cold start (the router function serves /v1/batches).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { SqsJobQueue, sqsClient } from '#adapters/sqs/job-queue.ts';
import { envNames } from '#contracts/env.ts';
import { jobTable } from '#contracts/tables.ts';
import { BatchService } from '#core/batch/batch-service.ts';
import { systemClock } from '#core/shared/clock.ts';
import { coldStart } from './cold-start.ts';
import { parseEnv } from './env.ts';
import { routerRuntime } from './router-runtime.ts';

const schema = z.object({
  [jobTable.envVar]: z.string().min(1),
  [envNames.batchQueueUrl]: z.string().min(1),
});

export const batchService: () => Promise<BatchService> = coldStart(async () => {
  const env = parseEnv(schema, 'Batch API') as Record<string, string>;
  const { catalog } = await routerRuntime();
  return new BatchService({
    catalog,
    jobs: new DynamoJobStore(documentClient(), env[jobTable.envVar]!),
    queue: new SqsJobQueue(sqsClient(), env[envNames.batchQueueUrl]!),
    clock: systemClock,
    newJobId: () => `batch_${randomUUID().replace(/-/g, '')}`,
  });
});
