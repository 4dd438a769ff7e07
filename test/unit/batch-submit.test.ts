// Submission validation: all-or-nothing, every bad item listed with index, custom_id, param, message.
import { describe, expect, it } from 'vitest';
import { validateSubmission } from '#core/batch/submit-validation.ts';
import type { ItemProblem } from '#core/batch/submit-validation.ts';
import { InvalidEntriesError } from '#core/shared/invalid-entries-error.ts';
import { InvalidRequestError } from '#core/shared/errors.ts';
import { sampleCatalog } from '../support/catalog-fixtures.ts';

const catalog = sampleCatalog();
const ctx = { catalog, hints: {}, jobId: 'batch_x', tenantId: 't', keyId: 'k' };
const body = (content = 'hi') => ({ model: 'auto', messages: [{ role: 'user', content }] });

function problems(submission: unknown) {
  try {
    validateSubmission(submission, ctx);
  } catch (error) {
    if (error instanceof InvalidEntriesError) return (error as InvalidEntriesError<'items', ItemProblem>).toBody().error.items;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('batch submission', () => {
  it('turns items into v1 queue messages with padded item ids', () => {
    const result = validateSubmission({ items: [{ custom_id: 'a', body: body() }, { custom_id: 'b', body: body() }], metadata: { k: 'v' } }, { ...ctx, hints: { strategy: 'cost-first' } });
    expect(result.messages.map((m) => [m.itemId, m.customId])).toEqual([['000000', 'a'], ['000001', 'b']]);
    expect(result.messages[0]).toMatchObject({ version: 1, jobId: 'batch_x', tenantId: 't', keyId: 'k', hints: { strategy: 'cost-first' } });
    expect(result.metadata).toEqual({ k: 'v' });
  });

  it('reads OpenAI batch input JSONL, skipping blank lines', () => {
    const line = (id: string) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: body() });
    expect(validateSubmission({ input: `${line('a')}\n\n${line('b')}\n` }, ctx).messages).toHaveLength(2);
    expect(problems({ input: `${line('a')}\n{oops` })).toEqual([expect.objectContaining({ index: 1, param: 'input' })]);
    expect(problems({ input: JSON.stringify({ custom_id: 'x', method: 'GET', url: '/v1/chat/completions', body: body() }) }))
      .toEqual([expect.objectContaining({ index: 0, custom_id: 'x', param: 'method' })]);
  });

  it('lists every bad item', () => {
    const list = problems({ items: [
      { custom_id: 'ok', body: body() },
      { custom_id: 'ok', body: body() },
      { custom_id: 'bad-temp', body: { ...body(), temperature: 9 } },
      { custom_id: 'no-model', body: { messages: [{ role: 'user', content: 'x' }] } },
      'not an object',
    ] });
    expect(list.map((p) => [p.index, p.param])).toEqual([[1, 'custom_id'], [2, 'body.temperature'], [3, 'body.model'], [4, 'item']]);
  });

  it('answers 400 with the whole body as the API always has, key order included', () => {
    const error = (() => {
      try {
        validateSubmission({ items: [{ custom_id: 'a', body: body() }, { custom_id: 'a', body: body() }] }, ctx);
      } catch (e) {
        return e as InvalidEntriesError<'items', ItemProblem>;
      }
      throw new Error('expected a validation error');
    })();
    expect(error.status).toBe(400);
    expect(JSON.stringify(error.toBody())).toBe(JSON.stringify({ error: {
      message: '1 of 2 batch item(s) are invalid; nothing was queued. First: item 1 (custom_id): duplicate custom_id (first used by item 0)',
      type: 'invalid_request_error', param: 'items', code: 'invalid_batch_items',
      items: [{ index: 1, custom_id: 'a', param: 'custom_id', message: 'duplicate custom_id (first used by item 0)' }],
    } }));
  });

  it('rejects an item whose queue message would pass 256 KiB', () => {
    expect(problems({ items: [{ custom_id: 'big', body: body('x'.repeat(262_000)) }] })[0]).toMatchObject({ param: 'body', custom_id: 'big' });
    expect(validateSubmission({ items: [{ custom_id: 'fits', body: body('x'.repeat(200_000)) }] }, ctx).messages).toHaveLength(1);
  });

  it('rejects a bad routing header for the whole submission, and limits the item count', () => {
    expect(() => validateSubmission({ items: [{ custom_id: 'a', body: body() }] }, { ...ctx, hints: { strategy: 'nope' } })).toThrow(InvalidRequestError);
    expect(() => validateSubmission({ items: [{ custom_id: 'a', body: body() }, { custom_id: 'b', body: body() }] }, { ...ctx, maxItems: 1 }))
      .toThrow(/limit is 1/);
    expect(() => validateSubmission({ items: [], input: '' }, ctx)).toThrow(/exactly one/);
    expect(() => validateSubmission({ items: [{ custom_id: 'a', body: body() }], completion_window: '25h' }, ctx)).toThrow(/completion_window/);
    expect(() => validateSubmission({ items: [{ custom_id: 'a', body: body() }], completion_window: '1d' }, ctx)).toThrow(/completion_window/);
    expect(validateSubmission({ items: [{ custom_id: 'a', body: body() }], completion_window: '30m' }, ctx).completionWindow).toBe('30m');
  });
});
