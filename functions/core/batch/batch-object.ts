// What the batch API returns: OpenAI's batch object and the JSONL output lines of GET /v1/batches/{id}/results.
import { EXPIRED_ERROR, itemRequestId, jobStatus, pendingCount } from './job-model.ts';
import type { BatchStatus, ItemRecord, ItemResponse, JobRecord } from './job-model.ts';


export interface BatchObject {
  id: string;
  object: 'batch';
  endpoint: string;
  errors: null;
  input_file_id: string | null;
  completion_window: string;
  status: BatchStatus;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number; queued: number; in_progress: number; cancelled: number; expired: number };
  metadata: Record<string, string>;
}

const seconds = (ms: number | undefined): number | null => (ms === undefined ? null : Math.floor(ms / 1000));

/** A file-form job whose items have all ended but whose result files are not written yet. */
export function awaitsResultFiles(job: JobRecord): boolean {
  return job.inputFileId !== undefined && pendingCount(job) === 0 && job.resultFilesAt === undefined;
}

export function toBatchObject(job: JobRecord): BatchObject {
  const status = awaitsResultFiles(job) ? 'finalizing' : jobStatus(job);
  const finished = pendingCount(job) === 0 ? seconds(job.finishedAt) : null;
  const fileForm = job.inputFileId !== undefined;
  return {
    id: job.jobId,
    object: 'batch',
    endpoint: job.endpoint,
    errors: null,
    input_file_id: job.inputFileId ?? null,
    completion_window: job.completionWindow,
    status,
    output_file_id: job.outputFileId ?? null,
    error_file_id: job.errorFileId ?? null,
    created_at: Math.floor(job.createdAt / 1000),
    in_progress_at: Math.floor(job.createdAt / 1000),
    expires_at: Math.floor(job.deadline / 1000),
    // File-form jobs finalize (write their result files) once every item has ended.
    finalizing_at: fileForm ? finished : null,
    completed_at: status === 'completed' ? finished : null,
    failed_at: status === 'failed' ? finished : null,
    expired_at: status === 'expired' ? finished : null,
    cancelling_at: seconds(job.cancellingAt),
    cancelled_at: status === 'cancelled' ? finished ?? seconds(job.cancellingAt) : null,
    request_counts: {
      total: job.total,
      completed: job.completed,
      failed: job.failed,
      queued: Math.max(0, job.queued),
      in_progress: Math.max(0, job.inProgress),
      cancelled: job.cancelled,
      expired: job.expired,
    },
    metadata: job.metadata,
  };
}

/** One line of the results file, in OpenAI's batch output shape. */
export interface OutputLine {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string; body: ItemResponse['body'] } | null;
  error: { code: string; message: string } | null;
}

/** The output line of a finished item; undefined while it is still pending. */
export function toOutputLine(item: ItemRecord): OutputLine | undefined {
  const id = itemRequestId(item.jobId, item.itemId);
  if (item.state === 'completed' && item.response) {
    return {
      id,
      custom_id: item.customId,
      response: { status_code: 200, request_id: item.response.requestId, body: item.response.body },
      error: null,
    };
  }
  if (item.state === 'failed' || item.state === 'cancelled' || item.state === 'expired') {
    const error = item.error ?? DEFAULT_ERRORS[item.state];
    return { id, custom_id: item.customId, response: null, error: { code: error.code, message: error.message } };
  }
  return undefined;
}

const DEFAULT_ERRORS = {
  failed: { code: 'failed', message: 'The item failed.' },
  cancelled: { code: 'batch_cancelled', message: 'The item was cancelled.' },
  expired: EXPIRED_ERROR,
} as const;

/** A page of `GET /v1/batches`, in OpenAI's list shape (newest first). */
export interface BatchList {
  object: 'list';
  data: BatchObject[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export function toBatchList(jobs: readonly JobRecord[], hasMore: boolean): BatchList {
  const data = jobs.map(toBatchObject);
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore };
}
