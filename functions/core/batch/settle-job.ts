// Bringing a job's record up to date before it is shown: items the completion window closed on end
// `expired`, and counters that may have drifted are recounted from the item records. Runs on every
// read, so a job whose items have all ended reads finished whatever crashed on the way.
import { needsRecount, pastDeadline, pendingCount } from './job-model.ts';
import type { ItemRecord, JobRecord } from './job-model.ts';
import type { JobStore } from './ports.ts';

export interface SettleOptions {
  /** Pending items and no counter change for this long: recount (see needsRecount). */
  recountQuietMs: number;
  /**
   * An item claimed this long ago with no word since has no live worker (the worker timeout): past the
   * deadline it may be expired. A younger claim is left to its worker, which finishes or expires it.
   */
  staleClaimMs: number;
  /** The queue's maxReceiveCount: a delivery with this receive count was the item's last. */
  maxReceiveCount: number;
}

/** The job as it should read at `now`. */
export async function settleJob(jobs: JobStore, job: JobRecord, now: number, options: SettleOptions): Promise<JobRecord> {
  if (pendingCount(job) > 0 && pastDeadline(job, now)) {
    await expireOverdueItems(jobs, job, now, options.staleClaimMs);
    return (await jobs.recount(job.tenantId, job.jobId, now)) ?? job;
  }
  if (needsRecount(job, now, options.recountQuietMs)) {
    if (pendingCount(job) > 0) await failLostLastDeliveries(jobs, job, now, options);
    return (await jobs.recount(job.tenantId, job.jobId, now)) ?? job;
  }
  return job;
}

/**
 * A worker that died during an item's last allowed delivery (a Lambda timeout) never recorded the
 * outcome, and SQS moves the message to the DLQ on its next receive without any worker seeing it. Such
 * an item (claimed by its last delivery, stale) ends failed as dead-lettered, matching its DLQ message.
 */
export async function failLostLastDeliveries(jobs: JobStore, job: JobRecord, now: number, options: SettleOptions): Promise<number> {
  let failed = 0;
  for await (const item of jobs.listItems(job.tenantId, job.jobId)) {
    if (item.state !== 'in_progress' || !item.claim || item.lastError !== undefined) continue;
    if (now - item.updatedAt < options.staleClaimMs || claimReceiveCount(item.claim) < options.maxReceiveCount) continue;
    const key = { tenantId: job.tenantId, jobId: job.jobId, itemId: item.itemId };
    const error = { code: 'worker_lost', message: `The worker stopped during delivery ${claimReceiveCount(item.claim)}, the last allowed; the message went to the dead-letter queue.`, status: 500 };
    if (await jobs.finish(key, { state: 'failed', error, deadLetter: true }, item.claim, now)) failed += 1;
  }
  return failed;
}

/** The receive count in a claim, `messageId#receiveCount`. */
function claimReceiveCount(claim: string): number {
  return Number(claim.slice(claim.lastIndexOf('#') + 1)) || 0;
}

/** Expires the pending items no live worker holds; returns how many it expired. */
export async function expireOverdueItems(jobs: JobStore, job: JobRecord, now: number, staleClaimMs: number): Promise<number> {
  let expired = 0;
  for await (const item of jobs.listItems(job.tenantId, job.jobId)) {
    if (!expirable(item, now, staleClaimMs)) continue;
    const key = { tenantId: job.tenantId, jobId: job.jobId, itemId: item.itemId };
    if (await jobs.expire(key, item.state === 'queued' ? undefined : item.claim, now)) expired += 1;
  }
  return expired;
}

function expirable(item: ItemRecord, now: number, staleClaimMs: number): boolean {
  if (item.state === 'queued') return true;
  if (item.state !== 'in_progress') return false;
  // lastError: waiting for its next delivery, not in a provider call.
  return item.lastError !== undefined || now - item.updatedAt >= staleClaimMs;
}
