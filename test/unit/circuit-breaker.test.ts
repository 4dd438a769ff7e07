import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  breakerStatus, closedBreaker, consecutiveFailuresToOpen, countsAgainstHealth, defaultBreakerSettings, isAvailable, recordFailure, recordOutcome,
  recordSuccess, windowCounts,
} from '#core/health/circuit-breaker.ts';
import type { BreakerState, CallOutcome } from '#core/health/circuit-breaker.ts';
import type { ProviderFailureKind } from '#core/shared/errors.ts';

const s = defaultBreakerSettings;
const T0 = 1_000_000_000_000;

const fail = (state: BreakerState, at: number, kind: ProviderFailureKind = 'server_error') => recordFailure(state, at, s, kind);
const succeed = (state: BreakerState, at: number) => recordSuccess(state, at, s);

function failTimes(state: BreakerState, n: number, at: number): BreakerState {
  let out = state;
  for (let i = 0; i < n; i++) out = fail(out, at + i);
  return out;
}

describe('countsAgainstHealth', () => {
  it('counts deployment failures and ignores request-caused ones', () => {
    for (const kind of ['rate_limited', 'server_error', 'connection', 'timeout', 'malformed_response', 'stream_interrupted'] as const) {
      expect(countsAgainstHealth(kind)).toBe(true);
    }
    for (const kind of ['content_policy', 'bad_request', 'context_length', 'authentication'] as const) {
      expect(countsAgainstHealth(kind)).toBe(false);
    }
  });
});

/** `calls` calls in the window, every `every`-th a failure, ending on a success: a model failing at random. */
function background(calls: number, every: number): BreakerState {
  let out = closedBreaker(T0);
  for (let i = 1; i <= calls; i++) out = i % every === 0 && i !== calls ? fail(out, T0 + i) : succeed(out, T0 + i);
  return out;
}

describe('consecutive failures at volume', () => {
  it('a run that a 10 % background error rate explains does not open the breaker; a longer one does', () => {
    const noisy = background(100, 10); // 9 failures in 100 calls, spread out
    expect(noisy.status).toBe('closed');
    expect(consecutiveFailuresToOpen(noisy, T0 + 101, s)).toBe(6); // 9 % background: 0.09^6 < 1e-6 < 0.09^5
    const five = failTimes(noisy, 5, T0 + 101);
    expect(breakerStatus(five, T0 + 106, s)).toBe('closed');
    const six = failTimes(noisy, 6, T0 + 101);
    expect(six.status).toBe('open');
  });

  it('a model with a clean window, or too few calls to judge, opens at failureThreshold', () => {
    const clean = background(100, 1_000); // no failures at all
    expect(consecutiveFailuresToOpen(clean, T0 + 101, s)).toBe(s.failureThreshold);
    expect(failTimes(clean, s.failureThreshold, T0 + 101).status).toBe('open');
    const quiet = background(s.minCalls - 1, 3);
    expect(consecutiveFailuresToOpen(quiet, T0 + 101, s)).toBe(s.failureThreshold);
  });

  it('the run itself is not counted as background: a model that goes down opens within a few calls', () => {
    let down = background(30, 10); // 2 failures in 30 calls
    let failed = 0;
    while (down.status === 'closed' && failed < 50) {
      down = fail(down, T0 + 31 + failed);
      failed += 1;
    }
    expect(down.status).toBe('open');
    expect(failed).toBe(consecutiveFailuresToOpen(background(30, 10), T0 + 31, s));
    expect(failed).toBeLessThanOrEqual(6);
  });
});

describe('consecutive failures', () => {
  it('stays closed below the threshold and opens at 3 consecutive failures', () => {
    const two = failTimes(closedBreaker(T0), 2, T0);
    expect(breakerStatus(two, T0 + 2, s)).toBe('closed');
    const three = fail(two, T0 + 3);
    expect(three.status).toBe('open');
    expect(three.openedAt).toBe(T0 + 3);
    expect(isAvailable(three, T0 + 4, s)).toBe(false);
  });

  it('a success resets the run of failures', () => {
    const state = fail(succeed(failTimes(closedBreaker(T0), 2, T0), T0 + 10), T0 + 11);
    expect(state.status).toBe('closed');
    expect(state.consecutiveFailures).toBe(1);
  });

  it('ignores failures that do not count against health', () => {
    let state = closedBreaker(T0);
    for (let i = 0; i < 10; i++) state = fail(state, T0 + i, 'content_policy');
    expect(state).toEqual(closedBreaker(T0));
    expect(recordOutcome(state, 'bad_request', T0, s)).toBe(state);
  });

  it('does not mutate the state it is given', () => {
    const state = closedBreaker(T0);
    const frozen = structuredClone(state);
    fail(state, T0);
    succeed(state, T0);
    expect(state).toEqual(frozen);
  });
});

describe('error rate over the sliding window', () => {
  /** Alternating outcomes never make 3 failures in a row. */
  function alternate(state: BreakerState, pairs: number, at: number, step = 100): BreakerState {
    let out = state;
    for (let i = 0; i < pairs; i++) {
      out = fail(out, at + 2 * i * step);
      out = fail(out, at + (2 * i + 1) * step - 1);
      out = succeed(out, at + (2 * i + 1) * step);
    }
    return out;
  }

  it('opens when more than half of at least 10 calls in the window failed', () => {
    // 4 rounds of fail, fail, success = 12 calls, 8 failures (67 %), never 3 failures in a row.
    const state = alternate(closedBreaker(T0), 4, T0);
    expect(state.status).toBe('open');
  });

  it('needs the minimum number of calls', () => {
    // 3 rounds = 9 calls, 6 failures: above 50 % but below 10 calls.
    const state = alternate(closedBreaker(T0), 3, T0);
    expect(state.status).toBe('closed');
    expect(windowCounts(state, T0 + 1000, s)).toEqual({ successes: 3, failures: 6 });
  });

  it('does not open at exactly 50 %', () => {
    let state = closedBreaker(T0);
    for (let i = 0; i < 6; i++) {
      state = succeed(state, T0 + 2 * i);
      state = fail(state, T0 + 2 * i + 1);
    }
    expect(state.status).toBe('closed');
    expect(windowCounts(state, T0 + 20, s)).toEqual({ successes: 6, failures: 6 });
  });

  it('forgets calls older than the window', () => {
    const old = alternate(closedBreaker(T0), 3, T0);
    expect(windowCounts(old, T0 + 61_000, s)).toEqual({ successes: 0, failures: 0 });
    // Old failures have aged out, so one more round does not reach 10 calls in the window.
    const later = alternate(old, 1, T0 + 61_000);
    expect(later.status).toBe('closed');
    expect(later.buckets.every((b) => b.start > T0 + 1000)).toBe(true);
  });

  it('keeps one bucket per bucket interval', () => {
    let state = closedBreaker(T0);
    for (let i = 0; i < 30; i++) state = succeed(state, T0 + i * 1000);
    expect(state.buckets.length).toBeLessThanOrEqual(s.windowMs / s.bucketMs + 1);
  });
});

describe('half-open', () => {
  const opened = failTimes(closedBreaker(T0), 3, T0);
  const afterCooldown = T0 + 2 + s.cooldownMs;

  it('turns half-open after the cooldown and lets calls through', () => {
    expect(breakerStatus(opened, afterCooldown - 1, s)).toBe('open');
    expect(breakerStatus(opened, afterCooldown, s)).toBe('half-open');
    expect(isAvailable(opened, afterCooldown, s)).toBe(true);
  });

  it('closes after 2 consecutive successes in half-open, with a clean window', () => {
    const one = succeed(opened, afterCooldown);
    expect(breakerStatus(one, afterCooldown, s)).toBe('half-open');
    const two = succeed(one, afterCooldown + 1);
    expect(two.status).toBe('closed');
    expect(two.openedAt).toBeUndefined();
    expect(two.buckets).toEqual([]);
    // The failures that opened it do not count any more.
    expect(fail(two, afterCooldown + 2).status).toBe('closed');
  });

  it('a failure in half-open re-opens for a full cooldown', () => {
    const reopened = fail(succeed(opened, afterCooldown), afterCooldown + 5);
    expect(reopened.openedAt).toBe(afterCooldown + 5);
    expect(breakerStatus(reopened, afterCooldown + 6, s)).toBe('open');
    expect(breakerStatus(reopened, afterCooldown + 5 + s.cooldownMs, s)).toBe('half-open');
  });

  it('late outcomes while open neither close it nor extend the cooldown', () => {
    const late = fail(succeed(succeed(opened, T0 + 10), T0 + 11), T0 + 12);
    expect(late.status).toBe('open');
    expect(late.openedAt).toBe(opened.openedAt);
    expect(late.consecutiveSuccesses).toBe(0);
  });
});

describe('latency EWMA', () => {
  it('starts at the first sample and moves by alpha', () => {
    const one = recordSuccess(closedBreaker(T0), T0, s, 1000);
    expect(one.latencyEwmaMs).toBe(1000);
    const two = recordSuccess(one, T0 + 1, s, 2000);
    expect(two.latencyEwmaMs).toBeCloseTo(1000 + s.latencyAlpha * 1000);
    expect(recordSuccess(two, T0 + 2, s).latencyEwmaMs).toBe(two.latencyEwmaMs);
  });
});

describe('invariants (property-based)', () => {
  const outcome = fc.constantFrom<CallOutcome>('success', 'success', 'server_error', 'timeout', 'bad_request');
  it('stored status is closed or open, open always has openedAt, counters are consistent', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(outcome, fc.integer({ min: 0, max: 20_000 })), { maxLength: 80 }), (steps) => {
        let state = closedBreaker(T0);
        let at = T0;
        for (const [o, gap] of steps) {
          at += gap;
          state = recordOutcome(state, o, at, s);
          expect(['closed', 'open']).toContain(state.status);
          if (state.status === 'open') expect(state.openedAt).toBeTypeOf('number');
          expect(state.consecutiveFailures === 0 || state.consecutiveSuccesses === 0).toBe(true);
          const { successes, failures } = windowCounts(state, at, s);
          expect(successes + failures).toBeLessThanOrEqual(steps.length);
        }
        return JSON.parse(JSON.stringify(state)) !== null;
      }),
    );
  });
});
