// The batch job model: a job record with counters, one record per item, and the rules that turn
// counters into a job status. The item records are the truth; the counters are kept by atomic ADDs and
// recounted from the items whenever they may have drifted (see needsRecount). Pure: no storage, no clock.
import type { ChatCompletion } from '../chat/openai-types.ts';
import type { EmbeddingsResponse } from '../embeddings/encode.ts';

export type ItemState = 'queued' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'expired';
export type FinalItemState = Extract<ItemState, 'completed' | 'failed' | 'cancelled' | 'expired'>;
/** `finalizing`: a job submitted as an input file whose items have all ended, result files not yet written. */
export type BatchStatus = 'in_progress' | 'finalizing' | 'completed' | 'failed' | 'cancelling' | 'cancelled' | 'expired';

export const FINAL_STATES: ReadonlySet<ItemState> = new Set(['completed', 'failed', 'cancelled', 'expired']);
export const PENDING_STATES: readonly ItemState[] = ['queued', 'in_progress'];

/** Maximum items in one job. */
export const MAX_ITEMS_PER_JOB = 50_000;
/** Days job and item records are kept (DynamoDB TTL). */
export const RETENTION_DAYS = 30;
/** The default (and longest) completion window, as in OpenAI's batch API. */
export const COMPLETION_WINDOW = '24h';
export const COMPLETION_WINDOW_SECONDS = 24 * 3600;

/** `24h`, `90m`, `30s`: the window's length in ms, or undefined when malformed or over 24 h. */
export function completionWindowMs(window: string): number | undefined {
  const match = /^([1-9][0-9]{0,5})([smh])$/.exec(window);
  if (!match) return undefined;
  const ms = Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
  return ms <= COMPLETION_WINDOW_SECONDS * 1000 ? ms : undefined;
}

/** When a job created at `createdAt` with `window` must be done (epoch ms); malformed windows count as 24 h. */
export function deadlineOf(createdAt: number, window: string): number {
  return createdAt + (completionWindowMs(window) ?? COMPLETION_WINDOW_SECONDS * 1000);
}

export interface JobCounters {
  total: number;
  queued: number;
  inProgress: number;
  completed: number;
  failed: number;
  cancelled: number;
  expired: number;
}

export interface JobRecord extends JobCounters {
  jobId: string;
  tenantId: string;
  keyId: string;
  endpoint: string;
  completionWindow: string;
  metadata: Record<string, string>;
  /** Epoch milliseconds. */
  createdAt: number;
  /** End of the completion window (epoch ms): items not finished by then end `expired`. */
  deadline: number;
  cancelRequested: boolean;
  cancellingAt?: number;
  /** Set when the last pending item finished (epoch ms). */
  finishedAt?: number;
  /** Last counter change (epoch ms). */
  countedAt?: number;
  /** Last recount from the item records (epoch ms). */
  recountedAt?: number;
  /** The input file of a job submitted with `input_file_id` (OpenAI's file form); such a job gets result files. */
  inputFileId?: string;
  /** The result files, once written (null: that file has no lines); set with `resultFilesAt`. */
  outputFileId?: string | null;
  errorFileId?: string | null;
  resultFilesAt?: number;
}

export interface ItemError {
  code: string;
  message: string;
  /** HTTP status the same failure would have had on /v1/chat/completions. */
  status?: number;
  /** The request field at fault, when known (shown in the error file's body). */
  param?: string;
}

/** The error of an item the completion window closed on (OpenAI's `batch_expired`). */
export const EXPIRED_ERROR = {
  code: 'batch_expired',
  message: 'This request could not be executed before the completion window expired.',
} as const;

export interface ItemResponse {
  requestId: string;
  /** The answer as the endpoint returns it: a chat completion, or an embeddings list. */
  body: ChatCompletion | EmbeddingsResponse;
  modelId: string;
  providerId: string;
  attempts: number;
  costUsd: number;
}

export interface ItemRecord {
  jobId: string;
  itemId: string;
  tenantId: string;
  customId: string;
  state: ItemState;
  /** Deliveries that took the item (each receive of its message counts once). */
  attempts: number;
  /** `messageId#receiveCount` of the delivery that holds the item. */
  claim?: string;
  response?: ItemResponse;
  error?: ItemError;
  /** The last retried failure, kept while the item waits for its next delivery. */
  lastError?: ItemError;
  /** Failed on its last allowed delivery: its message belongs in the dead-letter queue. */
  deadLetter?: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ItemKey {
  tenantId: string;
  jobId: string;
  itemId: string;
}

const COUNTER_OF: Record<ItemState, keyof JobCounters> = {
  queued: 'queued',
  in_progress: 'inProgress',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'expired',
};

/** The counter changes for one item moving between states (applied with DynamoDB ADD). */
export function counterDelta(from: ItemState | undefined, to: ItemState): Partial<JobCounters> {
  if (from === to) return {};
  const delta: Partial<JobCounters> = { [COUNTER_OF[to]]: 1 };
  if (from === undefined) delta.total = 1;
  else delta[COUNTER_OF[from]] = -1;
  return delta;
}

export function pendingCount(job: JobCounters): number {
  return Math.max(0, job.queued) + Math.max(0, job.inProgress);
}

/** The job's status, from its counters and whether cancellation was asked for. */
export function jobStatus(job: JobRecord): BatchStatus {
  const pending = pendingCount(job);
  if (job.cancelRequested) return pending > 0 ? 'cancelling' : 'cancelled';
  if (pending > 0) return 'in_progress';
  if (job.expired > 0) return 'expired';
  if (job.total > 0 && job.failed === job.total) return 'failed';
  return 'completed';
}

/** Counters derived from item states: what a recount writes. */
export function countStates(states: Iterable<ItemState>): JobCounters {
  const counters: JobCounters = { total: 0, queued: 0, inProgress: 0, completed: 0, failed: 0, cancelled: 0, expired: 0 };
  for (const state of states) {
    counters.total += 1;
    counters[COUNTER_OF[state] ?? 'queued'] += 1;
  }
  return counters;
}

const STATE_COUNTERS: ReadonlyArray<keyof JobCounters> = ['queued', 'inProgress', 'completed', 'failed', 'cancelled', 'expired'];

/** Counters that cannot be right: a negative one (a delta applied twice) or states not adding up to the total. */
export function countersInconsistent(job: JobCounters): boolean {
  const sum = STATE_COUNTERS.reduce((total, name) => total + job[name], 0);
  return sum !== job.total || STATE_COUNTERS.some((name) => job[name] < 0);
}

/**
 * Whether the job's counters must be recounted from its items before they are shown. Each item change
 * and its counter ADD are two writes, so a process that dies between them leaves the counters off:
 * recount when they look finished but were never confirmed, when they cannot be right, or when items
 * are pending but nothing has moved for `quietMs` (a lost ADD keeps a job pending forever). A quiet
 * period at least as long as the worker timeout means no live worker is between its two writes.
 */
export function needsRecount(job: JobRecord, now: number, quietMs: number): boolean {
  if (countersInconsistent(job)) return true;
  if (pendingCount(job) === 0) return job.finishedAt === undefined;
  const lastMove = Math.max(job.countedAt ?? job.createdAt, job.recountedAt ?? 0);
  return now - lastMove >= quietMs;
}

/** Whether an item's completion window is over. */
export function pastDeadline(job: Pick<JobRecord, 'deadline'>, now: number): boolean {
  return now >= job.deadline;
}

/** The id of an item's call: its cost record's requestId and its output line's id. */
export function itemRequestId(jobId: string, itemId: string): string {
  return `batch_req_${jobId.replace(/^batch_/, '')}_${itemId}`;
}

/** API-created item ids: the input index, zero-padded so items sort in input order. */
export function itemIdForIndex(index: number): string {
  return String(index).padStart(6, '0');
}

export function expiresAtSeconds(createdAtMs: number): number {
  return Math.floor(createdAtMs / 1000) + RETENTION_DAYS * 24 * 3600;
}
