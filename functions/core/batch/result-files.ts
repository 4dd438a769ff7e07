// The result files of a job submitted as an input file, in OpenAI's batch result format: one line per
// input line, `{id, custom_id, response: {status_code, request_id, body}, error}`. Answered items go to
// the output file; the rest to the error file: a request refused with an HTTP status keeps it
// (`response.body` is the OpenAI error body), one that never got an answer (cancelled, expired, lost)
// has `response: null` and `error: {code, message}`.
import type { OpenAiErrorType } from '../shared/errors.ts';
import { EXPIRED_ERROR, itemRequestId } from './job-model.ts';
import type { ItemError, ItemRecord, ItemResponse } from './job-model.ts';

export interface ErrorBody {
  error: { message: string; type: OpenAiErrorType; param: string | null; code: string | null };
}

export interface ResultLine {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string; body: ItemResponse['body'] | ErrorBody } | null;
  error: { code: string; message: string } | null;
}

export type ResultFileKind = 'output' | 'error';

const UNANSWERED: Record<'failed' | 'cancelled' | 'expired', ItemError> = {
  failed: { code: 'failed', message: 'The request failed.' },
  cancelled: { code: 'batch_cancelled', message: 'The batch was cancelled before this request was executed.' },
  expired: EXPIRED_ERROR,
};

/** OpenAI's error `type` for an HTTP status. */
export function errorTypeOf(status: number): OpenAiErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Which result file an ended item's line belongs to, and the line; undefined while it is pending. */
export function toResultLine(item: ItemRecord): { file: ResultFileKind; line: ResultLine } | undefined {
  const id = itemRequestId(item.jobId, item.itemId);
  if (item.state === 'completed' && item.response) {
    return {
      file: 'output',
      line: { id, custom_id: item.customId, response: { status_code: 200, request_id: item.response.requestId, body: item.response.body }, error: null },
    };
  }
  if (item.state !== 'failed' && item.state !== 'cancelled' && item.state !== 'expired') return undefined;
  const error = item.error ?? UNANSWERED[item.state];
  if (item.state === 'failed' && error.status !== undefined) {
    const body: ErrorBody = { error: { message: error.message, type: errorTypeOf(error.status), param: error.param ?? null, code: error.code } };
    return { file: 'error', line: { id, custom_id: item.customId, response: { status_code: error.status, request_id: id, body }, error: null } };
  }
  return { file: 'error', line: { id, custom_id: item.customId, response: null, error: { code: error.code, message: error.message } } };
}
