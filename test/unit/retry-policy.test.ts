// The retry policy by error class: pure decisions, no waiting.
import { describe, expect, it } from 'vitest';
import type { ProviderFailureKind } from '#core/shared/errors.ts';
import { classifyFailure } from '#core/failover/attempt-failure.ts';
import type { AttemptFailure } from '#core/failover/attempt-failure.ts';
import { decideAfterFailure, defaultFailoverSettings, fitsAfterContextFailure } from '#core/failover/retry-policy.ts';
import type { AttemptState } from '#core/failover/retry-policy.ts';

const failure = (kind: ProviderFailureKind, retryAfterMs?: number): AttemptFailure => ({
  modelId: 'm', providerId: 'p', kind, message: kind, ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});
const state = (over: Partial<AttemptState> = {}): AttemptState => ({ retries: 0, remainingMs: 60_000, contextWindow: 8000, random: () => 0.5, ...over });

describe('decideAfterFailure', () => {
  it('retries a 429 after its Retry-After when it fits the budget', () => {
    expect(decideAfterFailure(failure('rate_limited', 1500), state())).toMatchObject({ action: 'retry', delayMs: 1500 });
  });

  it('never retries sooner than the minimum backoff, even with Retry-After: 0', () => {
    expect(decideAfterFailure(failure('rate_limited', 0), state())).toMatchObject({ action: 'retry', delayMs: defaultFailoverSettings.minBackoffMs });
  });

  it('fails over on a 429 without Retry-After, or one that does not fit', () => {
    expect(decideAfterFailure(failure('rate_limited'), state()).action).toBe('failover');
    expect(decideAfterFailure(failure('rate_limited', 5000), state({ remainingMs: 3000 })).action).toBe('failover');
    expect(decideAfterFailure(failure('rate_limited', 60_000), state({ remainingMs: 120_000 })).action).toBe('failover');
  });

  it('retries a 5xx or a reset once with jittered backoff, then fails over', () => {
    const low = decideAfterFailure(failure('server_error'), state({ random: () => 0 }));
    const high = decideAfterFailure(failure('connection'), state({ random: () => 0.999 }));
    expect(low).toMatchObject({ action: 'retry', delayMs: 125 });
    expect(high.action).toBe('retry');
    expect(high.action === 'retry' && high.delayMs).toBeGreaterThan(370);
    expect(decideAfterFailure(failure('server_error'), state({ retries: 1 })).action).toBe('failover');
  });

  it('honours a 503 Retry-After as the backoff floor', () => {
    expect(decideAfterFailure(failure('server_error', 2000), state())).toMatchObject({ action: 'retry', delayMs: 2000 });
  });

  it('does not retry when the budget has no room for the backoff', () => {
    expect(decideAfterFailure(failure('server_error'), state({ remainingMs: 50 })).action).toBe('failover');
  });

  it('fails over at once on a timeout', () => {
    expect(decideAfterFailure(failure('timeout'), state()).action).toBe('failover');
  });

  it('fails over to a larger window after a context-length error', () => {
    expect(decideAfterFailure(failure('context_length'), state({ contextWindow: 8000 }))).toMatchObject({ action: 'failover', minContextWindow: 8000 });
    expect(fitsAfterContextFailure(8000, 8000)).toBe(false);
    expect(fitsAfterContextFailure(200_000, 8000)).toBe(true);
    expect(fitsAfterContextFailure(4000, undefined)).toBe(true);
  });

  it('stops on content policy and bad requests', () => {
    expect(decideAfterFailure(failure('content_policy'), state()).action).toBe('stop');
    expect(decideAfterFailure(failure('bad_request'), state()).action).toBe('stop');
  });

  it('fails over on authentication, malformed answers and interrupted streams', () => {
    for (const kind of ['authentication', 'malformed_response', 'stream_interrupted'] as const) {
      expect(decideAfterFailure(failure(kind), state()).action).toBe('failover');
    }
  });
});

describe('classifyFailure', () => {
  it('is the one table the retry policy decides from', () => {
    const expected: Record<ProviderFailureKind, string> = {
      content_policy: 'refused', bad_request: 'refused', context_length: 'too_long',
      rate_limited: 'transient', server_error: 'transient', connection: 'transient',
      timeout: 'deployment', authentication: 'deployment', malformed_response: 'deployment', stream_interrupted: 'deployment',
      unsendable_request: 'refused', adapter_error: 'deployment',
    };
    for (const [kind, cls] of Object.entries(expected) as Array<[ProviderFailureKind, string]>) {
      expect(classifyFailure(kind)).toBe(cls);
      const action = decideAfterFailure(failure(kind), state()).action;
      if (cls === 'refused') expect(action).toBe('stop');
      if (cls === 'deployment' || cls === 'too_long') expect(action).toBe('failover');
    }
  });
});
