// The batch worker's configuration root: its own variables, parsed once at cold start (declared in
// contracts/env.ts); the chat use case it runs items through is the router's (shared/config.ts).
import { parseEnv } from '#contracts/env.ts';

export interface BatchWorkerConfig {
  jobsTableName: string;
  queueUrl: string;
  retryBaseSeconds: number;
  retryMaxSeconds: number;
}

/** Reads the worker's environment; throws one error listing every missing or invalid variable. */
export function readBatchWorkerConfig(env: Readonly<Record<string, string | undefined>> = process.env): BatchWorkerConfig {
  const v = parseEnv(['jobTable', 'batchQueueUrl', 'batchRetryBaseSeconds', 'batchRetryMaxSeconds'], 'Batch worker', env, ['jobTable', 'batchQueueUrl']);
  return { jobsTableName: v.jobTable, queueUrl: v.batchQueueUrl, retryBaseSeconds: v.batchRetryBaseSeconds, retryMaxSeconds: v.batchRetryMaxSeconds };
}
