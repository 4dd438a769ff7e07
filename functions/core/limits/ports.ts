// Ports of the limits feature: where a tenant's plan is read, and the shared per-minute token counter.
import type { TenantPlan } from './plans.ts';

export interface PlanStore {
  /** The tenant's plan, or undefined when it has none (then the router applies no token limit). */
  planFor(tenantId: string): Promise<TenantPlan | undefined>;
}

export interface TokenWindowStore {
  /**
   * Adds `tokens` to the tenant's counter of the minute starting at `windowStart` (epoch ms) only if
   * the total stays within `limit`; atomic across every router instance. Returns whether it was
   * admitted and the counter's value afterwards (or its current value when refused, if known).
   */
  take(tenantId: string, windowStart: number, tokens: number, limit: number): Promise<{ admitted: boolean; used: number | undefined }>;
  /** Adds `delta` (positive or negative) to a minute's counter, unconditionally: settles an estimate. */
  adjust(tenantId: string, windowStart: number, delta: number): Promise<void>;
}
