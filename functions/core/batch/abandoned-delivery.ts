// What becomes of a delivery whose worker died with it (the local runtime was killed mid-batch): its
// message is still in flight on the queue when the runtime starts again. Decided from the item record,
// so a restart neither loses an item, nor answers it twice, nor leaves a dead letter whose item has a
// result (or a failed item without its dead letter).
import { decodeBatchMessage } from '#contracts/batch-message.ts';
import type { JobStore } from './ports.ts';

/**
 * `delete`: the item has ended and its message is done with.
 * `release`: make it visible again as it is (its receive count kept, so a dead letter reaches the DLQ).
 * `resend`: send it again as a new message; the killed delivery does not count against the item.
 */
export type AbandonedDecision = 'delete' | 'release' | 'resend';

export async function decideAbandonedDelivery(body: string, jobs: Pick<JobStore, 'getItem'>): Promise<AbandonedDecision> {
  const decoded = decodeBatchMessage(body);
  // Not ours to judge: the worker records and drops poison on its next delivery.
  if (!decoded.ok) return 'release';
  const { tenantId, jobId, itemId } = decoded.message;
  const item = await jobs.getItem({ tenantId, jobId, itemId });
  if (!item) return 'resend';
  if (item.state === 'queued' || item.state === 'in_progress') return 'resend';
  // Failed on its last delivery: the worker had left it for SQS to move to the DLQ.
  if (item.state === 'failed' && item.deadLetter) return 'release';
  return 'delete';
}
