// The batch API's dependencies, built once per cold start (the jobs function serves /v1/batches).
import { randomUUID } from 'node:crypto';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { documentClient, sqsClient } from './aws-clients.ts';
import { SqsJobQueue } from '#adapters/sqs/job-queue.ts';
import { batchQueue } from '#contracts/env.ts';
import { BatchService } from '#core/batch/batch-service.ts';
import { systemClock } from '#core/shared/clock.ts';
import { coldStart } from './cold-start.ts';
import { readCatalogFile } from './catalog-file.ts';
import { fileStore } from './files-runtime.ts';
import { readBatchApiConfig } from './jobs-config.ts';

export const batchService: () => Promise<BatchService> = coldStart(async () => {
  const config = readBatchApiConfig();
  return new BatchService({
    catalog: readCatalogFile(config.catalogPath),
    jobs: new DynamoJobStore(documentClient(), config.jobsTableName),
    queue: new SqsJobQueue(sqsClient(), config.queueUrl),
    clock: systemClock,
    newJobId: () => `batch_${randomUUID().replace(/-/g, '')}`,
    settle: { recountQuietMs: config.recountQuietMs, staleClaimMs: config.staleClaimMs, maxReceiveCount: batchQueue.maxReceiveCount },
    files: await fileStore(),
  });
});
