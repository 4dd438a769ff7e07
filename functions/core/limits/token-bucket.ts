// Requests per second with a burst, as API Gateway throttles a usage plan: a bucket of `burst`
// tokens refilled at `ratePerSecond`; each request takes one. Pure: state in, state out.

export interface BucketState {
  tokens: number;
  /** Epoch ms of the last refill. */
  at: number;
}

export interface BucketVerdict {
  allowed: boolean;
  state: BucketState;
  /** Requests left right now (after this one when allowed). */
  remaining: number;
  /** Until one more request is allowed, ms (0 when allowed). */
  retryAfterMs: number;
  /** Until the bucket is full again, ms. */
  fullInMs: number;
}

/** Takes one request from the bucket at `now`; a missing state is a full bucket. */
export function takeFromBucket(state: BucketState | undefined, now: number, ratePerSecond: number, burst: number): BucketVerdict {
  const previous = state ?? { tokens: burst, at: now };
  const elapsed = Math.max(0, now - previous.at);
  const tokens = Math.min(burst, previous.tokens + (elapsed / 1000) * ratePerSecond);
  const fullIn = (left: number): number => ((burst - left) / ratePerSecond) * 1000;
  if (tokens >= 1) {
    const left = tokens - 1;
    return { allowed: true, state: { tokens: left, at: now }, remaining: Math.floor(left), retryAfterMs: 0, fullInMs: fullIn(left) };
  }
  const retryAfterMs = ((1 - tokens) / ratePerSecond) * 1000;
  return { allowed: false, state: { tokens, at: now }, remaining: 0, retryAfterMs, fullInMs: fullIn(tokens) };
}
