// What to do after one failed upstream attempt, by error class. Pure: time and randomness come in
// as arguments, and the caller does the sleeping (through its injectable `sleep`).
//
//   rate_limited (429)          Retry-After present and within maxRetryAfterMs and the remaining
//                               budget: retry the same deployment once after it (never sooner
//                               than minBackoffMs). Otherwise fail over.
//   server_error (5xx),         one retry on the same deployment after a jittered backoff
//   connection (reset/refused)  (retryBaseMs x 0.5..1.5, at least minBackoffMs, at least any
//                               Retry-After), if it fits the budget; then fail over.
//   timeout                     fail over at once: a silent deployment is not tried again.
//   context_length              fail over, skipping candidates whose context window is not
//                               larger than the failed model's.
//   content_policy, bad_request stop: the request itself is refused; another model would
//   unsendable_request          refuse it too. The provider's error code goes back to the client.
//   authentication,             fail over.
//   malformed_response,
//   stream_interrupted,
//   adapter_error
import type { FailoverSettings } from '../catalog/catalog-schema.ts';
import { classifyFailure } from './attempt-failure.ts';
import type { AttemptFailure } from './attempt-failure.ts';

export type { FailoverSettings };

export const defaultFailoverSettings: FailoverSettings = {
  maxCalls: 6,
  totalBudgetMs: 120_000,
  streamBudgetMs: 60_000,
  firstTokenTimeoutMs: 30_000,
  streamIdleTimeoutMs: 30_000,
  retryBaseMs: 250,
  minBackoffMs: 100,
  maxRetryAfterMs: 10_000,
};

export type RetryDecision =
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'failover'; reason: string; minContextWindow?: number }
  | { action: 'stop'; reason: string };

export interface AttemptState {
  /** Retries already made on this deployment for this request. */
  retries: number;
  /** Time left of the request's budget, ms. */
  remainingMs: number;
  /** Context window of the model that failed (for context_length). */
  contextWindow: number;
  /** 0 <= x < 1; injectable for tests. */
  random: () => number;
}

/** The decision after `failure`; at most one retry per deployment, never a tight loop. */
export function decideAfterFailure(failure: AttemptFailure, state: AttemptState, settings: FailoverSettings = defaultFailoverSettings): RetryDecision {
  const kind = classifyFailure(failure.kind);
  if (kind === 'refused') return { action: 'stop', reason: `${failure.kind}: the request itself was refused` };
  if (kind === 'too_long') {
    return { action: 'failover', reason: 'context length exceeded: trying a model with a larger window', minContextWindow: state.contextWindow };
  }
  if (kind === 'deployment') {
    return { action: 'failover', reason: failure.kind === 'timeout' ? 'timed out: not retrying a silent deployment' : failure.kind };
  }
  if (state.retries >= 1) return { action: 'failover', reason: `${failure.kind} again after a retry` };
  const fits = (delayMs: number): boolean => delayMs < state.remainingMs;
  if (failure.kind === 'rate_limited') {
    if (failure.retryAfterMs === undefined) return { action: 'failover', reason: 'rate limited without Retry-After' };
    const delayMs = Math.max(settings.minBackoffMs, failure.retryAfterMs);
    if (delayMs > settings.maxRetryAfterMs || !fits(delayMs)) {
      return { action: 'failover', reason: `Retry-After ${failure.retryAfterMs} ms does not fit the time budget` };
    }
    return { action: 'retry', delayMs, reason: `rate limited: retrying after Retry-After (${delayMs} ms)` };
  }
  // server_error and connection: one retry on the same deployment after a jittered backoff.
  const jittered = Math.round(settings.retryBaseMs * (0.5 + state.random()));
  const delayMs = Math.max(settings.minBackoffMs, jittered, failure.retryAfterMs ?? 0);
  if (!fits(delayMs) || (failure.retryAfterMs !== undefined && failure.retryAfterMs > settings.maxRetryAfterMs)) {
    return { action: 'failover', reason: `${failure.kind}: no time left for a retry` };
  }
  return { action: 'retry', delayMs, reason: `${failure.kind}: one retry after ${delayMs} ms backoff` };
}

/** Whether a candidate may follow a context-length failure: only a strictly larger window helps. */
export function fitsAfterContextFailure(contextWindow: number, minContextWindow: number | undefined): boolean {
  return minContextWindow === undefined || contextWindow > minContextWindow;
}
