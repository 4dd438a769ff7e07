// The jobs function's configuration root (OpenAI's batch and files APIs, functions/handlers/jobs-api.ts):
// its environment, parsed when each API is first called (declared in contracts/env.ts).
import { parseEnv } from '#contracts/env.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface BatchApiConfig {
  /** The catalog: a batch names its model, checked when the batch is created. */
  catalogPath: string;
  jobsTableName: string;
  queueUrl: string;
  recountQuietMs: number;
  staleClaimMs: number;
}

export interface FilesConfig {
  /** S3 bucket (AWS); else a local directory; else memory. */
  bucket: string | undefined;
  directory: string | undefined;
  /** An S3-compatible endpoint is set (AWS_ENDPOINT_URL_S3): address the bucket path-style. */
  s3PathStyle: boolean;
  maxBytes: number;
}

/** The batch API's environment; throws one error listing every missing or invalid variable. */
export function readBatchApiConfig(env: Env = process.env): BatchApiConfig {
  const v = parseEnv(
    ['catalogPath', 'jobTable', 'batchQueueUrl', 'batchRecountQuietSeconds', 'batchStaleClaimSeconds'],
    'Batch API', env, ['catalogPath', 'jobTable', 'batchQueueUrl'],
  );
  return {
    catalogPath: v.catalogPath, jobsTableName: v.jobTable, queueUrl: v.batchQueueUrl,
    recountQuietMs: v.batchRecountQuietSeconds * 1000, staleClaimMs: v.batchStaleClaimSeconds * 1000,
  };
}

/** The files API's environment (the batch API reads and writes files too). */
export function readFilesConfig(env: Env = process.env): FilesConfig {
  const v = parseEnv(['filesBucket', 'filesDir', 'filesMaxBytes', 's3Endpoint'], 'Files API', env);
  return { bucket: v.filesBucket, directory: v.filesDir, s3PathStyle: v.s3Endpoint !== undefined, maxBytes: v.filesMaxBytes };
}
