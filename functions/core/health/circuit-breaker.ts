// Circuit breaker per model deployment, as a pure state machine over plain, persistable values.
// closed -> open: N consecutive failures (more when the window shows random failures at volume, see
// consecutiveFailuresToOpen), or the error rate over a sliding window of time buckets reaches above the
// threshold with enough calls. open -> half-open: once the cooldown has passed
// (derived from `openedAt`, never stored). half-open -> closed after M consecutive successes;
// any failure in half-open re-opens.
import type { ProviderFailureKind } from '../shared/errors.ts';

export type BreakerStatus = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Consecutive failures that open a closed breaker. */
  failureThreshold: number;
  /** Error rate (0..1) over the window that opens the breaker when exceeded. */
  errorRateThreshold: number;
  /** Calls the window must hold before the error rate counts. */
  minCalls: number;
  windowMs: number;
  /** Width of one window bucket; windowMs should be a multiple of it. */
  bucketMs: number;
  /** Time an open breaker waits before letting calls through again (half-open). */
  cooldownMs: number;
  /** Consecutive successes in half-open that close the breaker. */
  halfOpenSuccesses: number;
  /** Weight of the newest sample in the latency EWMA. */
  latencyAlpha: number;
}

export const defaultBreakerSettings: BreakerSettings = {
  failureThreshold: 3,
  errorRateThreshold: 0.5,
  minCalls: 10,
  windowMs: 60_000,
  bucketMs: 10_000,
  cooldownMs: 30_000,
  halfOpenSuccesses: 2,
  latencyAlpha: 0.3,
};

/** Calls counted in one time bucket; `start` is epoch ms, a multiple of bucketMs. */
export interface BreakerBucket {
  readonly start: number;
  readonly successes: number;
  readonly failures: number;
}

/** Stored state. Only 'closed' and 'open' are stored; half-open is open plus an elapsed cooldown. */
export interface BreakerState {
  readonly status: 'closed' | 'open';
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** Epoch ms the breaker last opened. */
  readonly openedAt?: number;
  readonly buckets: readonly BreakerBucket[];
  readonly lastFailureKind?: ProviderFailureKind;
  /** EWMA of successful call latency, ms. */
  readonly latencyEwmaMs?: number;
  /** Epoch ms of the last recorded outcome. */
  readonly updatedAt: number;
}

/** Either a success or the kind of failure a call ended with. */
export type CallOutcome = 'success' | ProviderFailureKind;

const HEALTH_KINDS: ReadonlySet<ProviderFailureKind> = new Set<ProviderFailureKind>([
  'rate_limited', 'server_error', 'connection', 'timeout', 'malformed_response', 'stream_interrupted',
]);

/** Whether a failure says something about the deployment (as opposed to the request or the key). */
export function countsAgainstHealth(kind: ProviderFailureKind): boolean {
  return HEALTH_KINDS.has(kind);
}

/** A fresh, closed breaker. */
export function closedBreaker(now = 0): BreakerState {
  return { status: 'closed', consecutiveFailures: 0, consecutiveSuccesses: 0, buckets: [], updatedAt: now };
}

/** The effective status at `now`: an open breaker whose cooldown has passed is half-open. */
export function breakerStatus(state: BreakerState, now: number, settings: BreakerSettings = defaultBreakerSettings): BreakerStatus {
  if (state.status === 'closed') return 'closed';
  return now - (state.openedAt ?? 0) >= settings.cooldownMs ? 'half-open' : 'open';
}

/** Whether calls may go to the deployment now (closed or half-open). */
export function isAvailable(state: BreakerState, now: number, settings: BreakerSettings = defaultBreakerSettings): boolean {
  return breakerStatus(state, now, settings) !== 'open';
}

/** Successes and failures inside the window ending at `now`. */
export function windowCounts(state: BreakerState, now: number, settings: BreakerSettings = defaultBreakerSettings): { successes: number; failures: number } {
  let successes = 0;
  let failures = 0;
  for (const bucket of liveBuckets(state.buckets, now, settings)) {
    successes += bucket.successes;
    failures += bucket.failures;
  }
  return { successes, failures };
}

function liveBuckets(buckets: readonly BreakerBucket[], now: number, settings: BreakerSettings): BreakerBucket[] {
  return buckets.filter((b) => b.start > now - settings.windowMs && b.start <= now);
}

function count(buckets: readonly BreakerBucket[], now: number, settings: BreakerSettings, field: 'successes' | 'failures'): BreakerBucket[] {
  const start = Math.floor(now / settings.bucketMs) * settings.bucketMs;
  const live = liveBuckets(buckets, now, settings);
  const index = live.findIndex((b) => b.start === start);
  if (index === -1) {
    live.push({ start, successes: field === 'successes' ? 1 : 0, failures: field === 'failures' ? 1 : 0 });
    live.sort((a, b) => a.start - b.start);
  } else {
    const b = live[index]!;
    live[index] = { ...b, [field]: b[field] + 1 };
  }
  return live;
}

/** The state after a successful call at `now`; `latencyMs` feeds the latency EWMA when given. */
export function recordSuccess(state: BreakerState, now: number, settings: BreakerSettings = defaultBreakerSettings, latencyMs?: number): BreakerState {
  const latencyEwmaMs =
    latencyMs === undefined ? state.latencyEwmaMs
    : state.latencyEwmaMs === undefined ? latencyMs
    : settings.latencyAlpha * latencyMs + (1 - settings.latencyAlpha) * state.latencyEwmaMs;
  const next = {
    ...state,
    buckets: count(state.buckets, now, settings, 'successes'),
    consecutiveFailures: 0,
    consecutiveSuccesses: state.consecutiveSuccesses + 1,
    updatedAt: Math.max(state.updatedAt, now),
    ...(latencyEwmaMs === undefined ? {} : { latencyEwmaMs }),
  };
  const status = breakerStatus(state, now, settings);
  // A late answer from a call started before the breaker opened does not shorten the cooldown.
  if (status === 'open') return { ...next, consecutiveSuccesses: 0 };
  if (status === 'half-open' && next.consecutiveSuccesses >= settings.halfOpenSuccesses) {
    // Closed afresh: the failures that opened the breaker must not re-open it at once.
    const { openedAt: _openedAt, ...rest } = next;
    return { ...rest, status: 'closed', buckets: [], consecutiveSuccesses: 0 };
  }
  return next;
}

/** The state after a failed call at `now`; kinds that do not count against health leave it unchanged. */
export function recordFailure(state: BreakerState, now: number, settings: BreakerSettings = defaultBreakerSettings, kind: ProviderFailureKind = 'server_error'): BreakerState {
  if (!countsAgainstHealth(kind)) return state;
  const next: BreakerState = {
    ...state,
    buckets: count(state.buckets, now, settings, 'failures'),
    consecutiveFailures: state.consecutiveFailures + 1,
    consecutiveSuccesses: 0,
    lastFailureKind: kind,
    updatedAt: Math.max(state.updatedAt, now),
  };
  const status = breakerStatus(state, now, settings);
  if (status === 'open') return next;
  if (status === 'half-open') return { ...next, openedAt: now };
  if (next.consecutiveFailures >= consecutiveFailuresToOpen(next, now, settings) || errorRateTripped(next, now, settings)) {
    return { ...next, status: 'open', openedAt: now };
  }
  return next;
}

/** How unlikely a run of failures must be as chance, at the model's own error rate, to open the breaker. */
const RUN_BY_CHANCE = 1e-6;

/**
 * Consecutive failures that open a closed breaker now. `failureThreshold` while the window is quiet or
 * clean. At volume, a model that fails now and then at random (10 % of calls, say) strings three failures
 * together every few seconds, concurrent calls interleaving, and a fixed threshold would open it on noise
 * (the soak of issue 22 saw whole routes open that way). So the run must be one that the window's
 * background error rate (the run itself left out) explains with a chance under one in a million: 6 at
 * 10 %, 9 at 20 %, at most 20 below the error-rate trip. A provider that goes down fails every call, so
 * the run still reaches that length within a few calls.
 */
export function consecutiveFailuresToOpen(state: BreakerState, now: number, settings: BreakerSettings = defaultBreakerSettings): number {
  const { successes, failures } = windowCounts(state, now, settings);
  const run = Math.min(state.consecutiveFailures, failures);
  const calls = successes + failures - run;
  const background = failures - run;
  if (calls < settings.minCalls || background === 0) return settings.failureThreshold;
  const rate = background / calls;
  if (rate >= settings.errorRateThreshold) return settings.failureThreshold;
  return Math.max(settings.failureThreshold, Math.ceil(Math.log(RUN_BY_CHANCE) / Math.log(rate)));
}

function errorRateTripped(state: BreakerState, now: number, settings: BreakerSettings): boolean {
  const { successes, failures } = windowCounts(state, now, settings);
  const calls = successes + failures;
  return calls >= settings.minCalls && failures / calls > settings.errorRateThreshold;
}

/** Applies one call outcome: success or a failure kind. */
export function recordOutcome(state: BreakerState, outcome: CallOutcome, now: number, settings: BreakerSettings = defaultBreakerSettings, latencyMs?: number): BreakerState {
  return outcome === 'success' ? recordSuccess(state, now, settings, latencyMs) : recordFailure(state, now, settings, outcome);
}
