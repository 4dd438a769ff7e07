// The SDK's "standard" retry mode, kept to what the JSON services need: throttling, 5xx and network
// errors are retried up to `maxAttempts` in all, after a full-jitter exponential backoff (base 100 ms,
// capped at 20 s, as the SDK).
import { AwsServiceError } from './aws-service-error.ts';

const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottledException', 'TooManyRequestsException',
  'ProvisionedThroughputExceededException', 'TransactionInProgressException', 'RequestLimitExceeded', 'BandwidthLimitExceeded',
  'LimitExceededException', 'RequestThrottled', 'SlowDown', 'PriorRequestNotComplete', 'EC2ThrottledException',
]);
const TRANSIENT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalServerError', 'ServiceUnavailable']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'UND_ERR_SOCKET']);

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** [0, 1): replaced in tests to make delays known. */
  readonly random: () => number;
}

export const standardRetry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 20_000, random: Math.random };

/** True when another attempt may succeed. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof AwsServiceError) {
    return error.statusCode >= 500 || error.statusCode === 429 || THROTTLING.has(error.name) || TRANSIENT.has(error.name);
  }
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return (typeof code === 'string' && NETWORK.has(code)) || (typeof name === 'string' && TRANSIENT.has(name));
}

/** Full jitter: a uniform wait in [0, min(cap, base · 2^(attempt-1))). */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.floor(policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
}
