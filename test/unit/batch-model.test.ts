// Pure batch rules: message contract, status from counters, counter deltas, retry delays, output lines.
import { describe, expect, it } from 'vitest';
import { decodeBatchMessage, encodeBatchMessage } from '#contracts/batch-message.ts';
import { toBatchObject, toOutputLine } from '#core/batch/batch-object.ts';
import { counterDelta, itemRequestId, jobStatus } from '#core/batch/job-model.ts';
import type { ItemRecord, JobRecord } from '#core/batch/job-model.ts';
import { retryable } from '#core/batch/process-item.ts';
import { retryDelaySeconds } from '#core/batch/retry-delay.ts';
import { InvalidRequestError, NoRouteError, RateLimitError, ServiceUnavailableError } from '#core/shared/errors.ts';
import type { ProviderFailureKind } from '#core/shared/errors.ts';
import { failureToRouterError } from '#core/failover/attempt-failure.ts';
import { sendGroups } from '#adapters/sqs/job-queue.ts';

const job = (over: Partial<JobRecord> = {}): JobRecord => ({
  jobId: 'batch_1', tenantId: 't', keyId: 'k', endpoint: '/v1/chat/completions', completionWindow: '24h', metadata: {},
  createdAt: 1_700_000_000_000, deadline: 1_700_000_000_000 + 86_400_000, cancelRequested: false,
  total: 3, queued: 0, inProgress: 0, completed: 3, failed: 0, cancelled: 0, expired: 0, ...over,
});

describe('batch message v1', () => {
  const message = { version: 1 as const, jobId: 'j1', itemId: '000001', tenantId: 't', keyId: 'k', customId: 'c', request: { model: 'auto', messages: [] } };

  it('round-trips', () => {
    expect(decodeBatchMessage(encodeBatchMessage(message))).toEqual({ ok: true, message });
  });

  it('names the problem and keeps the ids of a bad message', () => {
    const bad = decodeBatchMessage(JSON.stringify({ ...message, version: 2 }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.reason).toMatch(/version/);
      expect(bad.identity).toMatchObject({ jobId: 'j1', itemId: '000001', tenantId: 't' });
    }
    const garbage = decodeBatchMessage('not json');
    expect(garbage.ok).toBe(false);
    if (!garbage.ok) expect(garbage.identity).toBeUndefined();
  });

  it('rejects ids that are unsafe in keys', () => {
    expect(decodeBatchMessage(JSON.stringify({ ...message, jobId: 'a#b' })).ok).toBe(false);
  });
});

describe('job status', () => {
  it('follows the counters and cancellation', () => {
    expect(jobStatus(job({ queued: 1, completed: 2 }))).toBe('in_progress');
    expect(jobStatus(job())).toBe('completed');
    expect(jobStatus(job({ completed: 0, failed: 3 }))).toBe('failed');
    expect(jobStatus(job({ completed: 1, failed: 2 }))).toBe('completed');
    expect(jobStatus(job({ cancelRequested: true, inProgress: 1, completed: 2 }))).toBe('cancelling');
    expect(jobStatus(job({ cancelRequested: true, completed: 1, cancelled: 2 }))).toBe('cancelled');
  });

  it('moves one counter to another, and counts new items', () => {
    expect(counterDelta('queued', 'in_progress')).toEqual({ queued: -1, inProgress: 1 });
    expect(counterDelta('in_progress', 'completed')).toEqual({ inProgress: -1, completed: 1 });
    expect(counterDelta(undefined, 'queued')).toEqual({ total: 1, queued: 1 });
    expect(counterDelta('failed', 'failed')).toEqual({});
  });

  it('renders an OpenAI-like batch object', () => {
    const object = toBatchObject(job({ finishedAt: 1_700_000_100_000 }));
    expect(object).toMatchObject({
      id: 'batch_1', object: 'batch', status: 'completed', completed_at: 1_700_000_100, expires_at: 1_700_000_000 + 86_400,
      request_counts: { total: 3, completed: 3, failed: 0, queued: 0, in_progress: 0, cancelled: 0 },
    });
  });
});

describe('output lines', () => {
  const base: ItemRecord = { jobId: 'batch_abc', itemId: '000007', tenantId: 't', customId: 'my-7', state: 'queued', attempts: 0, createdAt: 0, updatedAt: 0 };

  it('has no line for a pending item', () => {
    expect(toOutputLine(base)).toBeUndefined();
  });

  it('answers in the OpenAI batch output shape', () => {
    const body = { id: 'c', object: 'chat.completion' as const, created: 1, model: 'm', choices: [] };
    const line = toOutputLine({ ...base, state: 'completed', response: { requestId: itemRequestId('batch_abc', '000007'), body, modelId: 'm', providerId: 'p', attempts: 1, costUsd: 0 } });
    expect(line).toEqual({ id: 'batch_req_abc_000007', custom_id: 'my-7', response: { status_code: 200, request_id: 'batch_req_abc_000007', body }, error: null });
    expect(toOutputLine({ ...base, state: 'failed', error: { code: 'upstream_unavailable', message: 'down' } }))
      .toEqual({ id: 'batch_req_abc_000007', custom_id: 'my-7', response: null, error: { code: 'upstream_unavailable', message: 'down' } });
  });
});

describe('retries', () => {
  it('grows exponentially to the cap, with bounded jitter', () => {
    const none = { random: () => 0 };
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, none))).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(10, none)).toBe(900);
    expect(retryDelaySeconds(1, { random: () => 1 })).toBe(12);
    expect(retryDelaySeconds(3, { baseSeconds: 0 })).toBe(0);
  });

  it('retries upstream and unknown failures, not bad requests', () => {
    const failed = (kind: ProviderFailureKind) => failureToRouterError([{ modelId: 'm', providerId: 'p', kind, message: kind }]);
    expect(retryable(failed('server_error'))).toBe(true);
    expect(retryable(failed('rate_limited'))).toBe(true);
    expect(retryable(failed('timeout'))).toBe(true);
    expect(retryable(failed('bad_request'))).toBe(false);
    expect(retryable(failed('context_length'))).toBe(false);
    expect(retryable(failureToRouterError([]))).toBe(true);
    // Health-only unroutability (503) and the tenant's plan limit (429) pass: a later delivery may run.
    expect(retryable(new ServiceUnavailableError('every breaker open', 5))).toBe(true);
    expect(retryable(new RateLimitError('tokens per minute', {}))).toBe(true);
    expect(retryable(new Error('dynamo hiccup'))).toBe(true);
    expect(retryable(new InvalidRequestError('bad'))).toBe(false);
    expect(retryable(new NoRouteError('No model satisfies the request: capability excluded a (vision).', ['capability']))).toBe(false);
    // Judged by the exclusion reasons, not the wording of the message.
    expect(retryable(new NoRouteError('No model is routable right now.', ['unavailable']))).toBe(true);
    expect(retryable(new NoRouteError('unavailable excluded a', ['context_window']))).toBe(false);
  });
});

describe('send groups', () => {
  it('keeps SendMessageBatch under ten entries and 256 KiB', () => {
    expect(sendGroups(Array.from({ length: 25 }, () => 10), (n) => n).map((g) => g.length)).toEqual([10, 10, 5]);
    const big = 100 * 1024;
    expect(sendGroups([big, big, big, big], (n) => n).map((g) => g.length)).toEqual([2, 2]);
  });
});
