// OpenAI's rate-limit response headers: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`.
// Resets are durations in OpenAI's style (`1s`, `6m0s`, `250ms`).

/** `250ms`, `7s`, `6m0s`, `2h3m0s`. */
export function formatReset(ms: number): string {
  const clamped = Math.max(0, Math.ceil(ms));
  if (clamped < 1000) return `${clamped}ms`;
  const seconds = Math.ceil(clamped / 1000);
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}

export type LimitDimension = 'requests' | 'tokens';

/** The three headers of one dimension. */
export function rateLimitHeaders(dimension: LimitDimension, limit: number, remaining: number, resetMs: number): Record<string, string> {
  return {
    [`x-ratelimit-limit-${dimension}`]: String(Math.floor(limit)),
    [`x-ratelimit-remaining-${dimension}`]: String(Math.max(0, Math.floor(remaining))),
    [`x-ratelimit-reset-${dimension}`]: formatReset(resetMs),
  };
}

/** Retry-After in whole seconds (at least 1), as every HTTP client understands it. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
