// What a restart does with a delivery its killed predecessor held, decided from the item record.
import { describe, expect, it } from 'vitest';
import { decideAbandonedDelivery } from '#core/batch/abandoned-delivery.ts';
import type { ItemRecord, ItemState } from '#core/batch/job-model.ts';

const body = JSON.stringify({ version: 1, jobId: 'j', itemId: 'i', tenantId: 't', keyId: 'k', customId: 'c', request: { model: 'auto', messages: [] } });
const item = (state: ItemState, extra: Partial<ItemRecord> = {}): ItemRecord => ({
  jobId: 'j', itemId: 'i', tenantId: 't', customId: 'c', state, attempts: 1, createdAt: 1, updatedAt: 1, ...extra,
});
const store = (record: ItemRecord | undefined) => ({ getItem: async () => record });

describe('decideAbandonedDelivery', () => {
  it('runs a pending item again and drops the message of an item that ended', async () => {
    expect(await decideAbandonedDelivery(body, store(item('queued')))).toBe('resend');
    expect(await decideAbandonedDelivery(body, store(item('in_progress')))).toBe('resend');
    expect(await decideAbandonedDelivery(body, store(undefined))).toBe('resend');
    for (const state of ['completed', 'cancelled', 'expired'] as const) {
      expect(await decideAbandonedDelivery(body, store(item(state)))).toBe('delete');
    }
    // Failed for good (a bad request): done with; failed on its last delivery: on its way to the DLQ.
    expect(await decideAbandonedDelivery(body, store(item('failed')))).toBe('delete');
    expect(await decideAbandonedDelivery(body, store(item('failed', { deadLetter: true })))).toBe('release');
  });

  it('leaves messages it cannot read to the worker', async () => {
    expect(await decideAbandonedDelivery('not json', store(item('completed')))).toBe('release');
  });
});
