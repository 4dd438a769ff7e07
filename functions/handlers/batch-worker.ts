// The batch worker Lambda: SQS event source with ReportBatchItemFailures. Records of one event run
// in parallel; each is answered, retried later (visibility set to a growing delay), or dead-lettered.
// The body and its wiring are in shared/batch-worker-runtime.ts.
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { batchWorkerRuntime } from './shared/batch-worker-runtime.ts';

export { createBatchWorker } from './shared/batch-worker-runtime.ts';

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .handler(async (event) => (await batchWorkerRuntime())(event));
