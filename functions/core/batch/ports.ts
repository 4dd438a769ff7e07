// Ports of the batch feature: where jobs and items live (JobStore) and how items travel (JobQueue).
import type { BatchMessage } from '#contracts/batch-message.ts';
import type { ItemError, ItemKey, ItemRecord, ItemResponse, JobRecord } from './job-model.ts';

/** What a submission knows of a job; counters start from zero and the deadline follows from the window. */
export type NewJob = Pick<JobRecord, 'jobId' | 'tenantId' | 'keyId' | 'endpoint' | 'completionWindow' | 'metadata' | 'createdAt'> & Pick<JobRecord, 'inputFileId'>;

/** The result files of a file-form job (null: no lines of that kind). */
export interface ResultFiles {
  outputFileId: string | null;
  errorFileId: string | null;
}

export interface NewItem {
  itemId: string;
  customId: string;
}

/** Claiming an item for one delivery of its message. */
export type ClaimResult =
  | { kind: 'claimed'; item: ItemRecord }
  /** Already completed, failed or cancelled: nothing to do (a redelivery). */
  | { kind: 'final'; item: ItemRecord }
  /** This very delivery already holds it. */
  | { kind: 'taken'; item: ItemRecord }
  | { kind: 'missing' };

export type ItemOutcome =
  | { state: 'completed'; response: ItemResponse }
  /** `deadLetter`: failed on the last allowed delivery; its message goes to the DLQ. */
  | { state: 'failed'; error: ItemError; deadLetter?: boolean }
  | { state: 'cancelled'; error: ItemError }
  | { state: 'expired'; error: ItemError };

/** One page of a tenant's jobs, newest first. */
export interface JobPage {
  jobs: JobRecord[];
  hasMore: boolean;
}

export interface JobStore {
  /** Writes the job (counters: all items queued) and every item as `queued`. */
  createJob(job: NewJob, items: readonly NewItem[]): Promise<void>;
  getJob(tenantId: string, jobId: string): Promise<JobRecord | undefined>;
  /** One item record; undefined when it does not exist. */
  getItem(key: ItemKey): Promise<ItemRecord | undefined>;
  /** Every item of the job, in item id order, read page by page. */
  listItems(tenantId: string, jobId: string): AsyncIterable<ItemRecord>;
  /** Creates a queued item, and its job if absent, unless the item exists (messages sent straight to the queue). */
  ensureItem(job: NewJob, item: NewItem): Promise<void>;
  /** Takes a pending item for the delivery `claim` (`messageId#receiveCount`). */
  claim(key: ItemKey, claim: string, now: number): Promise<ClaimResult>;
  /**
   * Records an item's final outcome, once: with a claim only while that delivery still holds the item,
   * without one while it is pending. False when another writer got there first.
   */
  finish(key: ItemKey, outcome: ItemOutcome, claim: string | undefined, now: number): Promise<boolean>;
  /**
   * Ends a pending item `expired` (no provider call): with a claim only while that delivery still holds
   * it, without one only while it is `queued`. False when it was not in that state.
   */
  expire(key: ItemKey, claim: string | undefined, now: number): Promise<boolean>;
  /** Notes a failed attempt that will be retried on a later delivery. */
  noteRetry(key: ItemKey, claim: string, error: ItemError, now: number): Promise<void>;
  /** Asks for cancellation; undefined when the job does not exist for this tenant. */
  requestCancel(tenantId: string, jobId: string, now: number): Promise<JobRecord | undefined>;
  /** Puts a failed item back to `queued` (DLQ redrive); false when it was not failed. */
  requeue(key: ItemKey, now: number): Promise<boolean>;
  /**
   * Recounts the job's counters from its item records and stores them (stamping or clearing
   * `finishedAt`), unless a counter changed during the recount; returns the job as it now reads.
   */
  recount(tenantId: string, jobId: string, now: number): Promise<JobRecord | undefined>;
  /** Records the job's result files, once (a second writer keeps the first's); returns the job as it now reads. */
  setResultFiles(tenantId: string, jobId: string, files: ResultFiles, now: number): Promise<JobRecord | undefined>;
  /** The tenant's jobs, newest first, starting after `after` (the last job of the previous page). */
  listJobs(tenantId: string, limit: number, after?: Pick<JobRecord, 'jobId' | 'createdAt'>): Promise<JobPage>;
}

export interface SendFailure {
  message: BatchMessage;
  reason: string;
}

export interface JobQueue {
  /** Sends every message (in SQS batches, retrying partial failures); returns those that could not be sent. */
  sendAll(messages: readonly BatchMessage[]): Promise<SendFailure[]>;
  /** Delays a received message's next delivery. */
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
}
