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
}

/** The job as it should read at `now`. */
export async function settleJob(jobs: JobStore, job: JobRecord, now: number, options: SettleOptions): Promise<JobRecord> {
  if (pendingCount(job) > 0 && pastDeadline(job, now)) {
    await expireOverdueItems(jobs, job, now, options.staleClaimMs);
    return (await jobs.recount(job.tenantId, job.jobId, now)) ?? job;
  }
  if (needsRecount(job, now, options.recountQuietMs)) return (await jobs.recount(job.tenantId, job.jobId, now)) ?? job;
  return job;
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
