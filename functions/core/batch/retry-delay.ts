// How long a failed batch item waits before its next delivery: exponential, capped, with jitter so
// items that failed together do not come back together.

export interface RetryDelayOptions {
  /** Seconds for the first retry's base; 0 retries at once (tests). Default 5. */
  baseSeconds?: number;
  /** Cap before jitter. Default 900 (15 minutes). */
  maxSeconds?: number;
  /** Share of the delay added at random, 0..1. Default 0.2. */
  jitter?: number;
  random?: () => number;
}

/** min(max, 2^receiveCount * base) + up to `jitter` of that, in whole seconds (SQS visibility is in seconds). */
export function retryDelaySeconds(receiveCount: number, options: RetryDelayOptions = {}): number {
  const base = Math.max(0, options.baseSeconds ?? 5);
  const max = Math.max(0, options.maxSeconds ?? 900);
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.2));
  const random = options.random ?? Math.random;
  const exponent = Math.min(30, Math.max(0, Math.floor(receiveCount)));
  const delay = Math.min(max, 2 ** exponent * base);
  // SQS accepts at most 12 hours of visibility.
  return Math.min(43_200, Math.round(delay + delay * jitter * random()));
}
