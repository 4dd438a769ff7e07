// The batch job model: a job record with atomic counters, one record per item, and the rules that
// turn counters into a job status. Pure: no storage, no clock.
import type { ChatCompletion } from '../chat/openai-types.ts';

export type ItemState = 'queued' | 'in_progress' | 'completed' | 'failed' | 'cancelled';
export type FinalItemState = Extract<ItemState, 'completed' | 'failed' | 'cancelled'>;
export type BatchStatus = 'in_progress' | 'completed' | 'failed' | 'cancelling' | 'cancelled';

export const FINAL_STATES: ReadonlySet<ItemState> = new Set(['completed', 'failed', 'cancelled']);
export const PENDING_STATES: readonly ItemState[] = ['queued', 'in_progress'];

/** Maximum items in one job. */
export const MAX_ITEMS_PER_JOB = 50_000;
/** Days job and item records are kept (DynamoDB TTL). */
export const RETENTION_DAYS = 30;
/** The only completion window offered, as in OpenAI's batch API. */
export const COMPLETION_WINDOW = '24h';
export const COMPLETION_WINDOW_SECONDS = 24 * 3600;

export interface JobCounters {
  total: number;
  queued: number;
  inProgress: number;
  completed: number;
  failed: number;
  cancelled: number;
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
  cancelRequested: boolean;
  cancellingAt?: number;
  /** Set when the last pending item finished (epoch ms). */
  finishedAt?: number;
}

export interface ItemError {
  code: string;
  message: string;
  /** HTTP status the same failure would have had on /v1/chat/completions. */
  status?: number;
}

export interface ItemResponse {
  requestId: string;
  body: ChatCompletion;
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
  if (job.total > 0 && job.failed === job.total) return 'failed';
  return 'completed';
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
