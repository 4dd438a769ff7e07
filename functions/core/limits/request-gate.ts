// A tenant's usage plan applied per request, as API Gateway applies it in AWS: requests per second
// with a burst (token bucket) and a monthly request quota. The local runtime's front door runs it
// before reading a body; in AWS the gateway itself does this and the router never sees the request.
// State is this process's memory (one local front door), keyed by tenant: tenants never share it.
import type { Principal } from '../auth/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { PlanStore } from './ports.ts';
import { rateLimitHeaders, retryAfterSeconds } from './rate-limit-headers.ts';
import { takeFromBucket } from './token-bucket.ts';
import type { BucketState } from './token-bucket.ts';

export type GateVerdict =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; status: 429; code: 'rate_limit_exceeded' | 'insufficient_quota'; message: string; headers: Record<string, string> };

interface TenantState {
  bucket: BucketState | undefined;
  month: string;
  requests: number;
}

/** `2026-11` in UTC, and the ms until the next month starts. */
function monthOf(now: number): { month: string; resetMs: number } {
  const d = new Date(now);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { month: d.toISOString().slice(0, 7), resetMs: next - now };
}

export class RequestGate {
  readonly #plans: PlanStore;
  readonly #clock: Clock;
  readonly #tenants = new Map<string, TenantState>();

  constructor(deps: { plans: PlanStore; clock: Clock }) {
    this.#plans = deps.plans;
    this.#clock = deps.clock;
  }

  /** Counts one request of `principal`'s tenant; a tenant without a plan is not limited. */
  async check(principal: Principal): Promise<GateVerdict> {
    const plan = await this.#plans.planFor(principal.tenantId);
    if (!plan) return { allowed: true, headers: {} };
    const now = this.#clock.now();
    const { month, resetMs: monthResetMs } = monthOf(now);
    const state = this.#tenants.get(principal.tenantId) ?? { bucket: undefined, month, requests: 0 };
    if (state.month !== month) Object.assign(state, { month, requests: 0 });
    this.#tenants.set(principal.tenantId, state);

    if (state.requests >= plan.monthlyRequests) {
      return {
        allowed: false, status: 429, code: 'insufficient_quota',
        message: `You exceeded your monthly quota of ${plan.monthlyRequests} requests.`,
        headers: { 'retry-after': retryAfterSeconds(monthResetMs), ...rateLimitHeaders('requests', plan.monthlyRequests, 0, monthResetMs) },
      };
    }
    const verdict = takeFromBucket(state.bucket, now, plan.requestsPerSecond, plan.burst);
    state.bucket = verdict.state;
    if (!verdict.allowed) {
      return {
        allowed: false, status: 429, code: 'rate_limit_exceeded',
        message: `Rate limit reached for requests: ${plan.requestsPerSecond} per second, burst ${plan.burst}. Slow down and retry.`,
        headers: { 'retry-after': retryAfterSeconds(verdict.retryAfterMs), ...rateLimitHeaders('requests', plan.burst, 0, verdict.retryAfterMs) },
      };
    }
    state.requests += 1;
    return { allowed: true, headers: rateLimitHeaders('requests', plan.burst, verdict.remaining, verdict.fullInMs) };
  }
}
