// Per-tenant rate-limit plans: requests per second and burst (API Gateway's throttle, and the local
// front door's token bucket), monthly requests (API Gateway's quota, and the local front door's
// counter), and tokens per minute (enforced by the router itself, in AWS and locally).
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';

export const planLimitsSchema = z.strictObject({
  requestsPerSecond: z.number().check(z.positive(), z.maximum(10_000)),
  burst: z.number().check(z.int(), z.positive(), z.maximum(5_000)),
  monthlyRequests: z.number().check(z.int(), z.positive()),
  tokensPerMinute: z.number().check(z.int(), z.positive()),
});
export type PlanLimits = z.infer<typeof planLimitsSchema>;

/** A tenant's plan: a preset's name (or `custom`) and its limits. */
export interface TenantPlan extends PlanLimits {
  name: string;
}

/** Named plans `admin create-tenant --plan` and `set-plan` accept; any limit may be overridden. */
export const PLAN_PRESETS: Readonly<Record<string, PlanLimits>> = {
  free: { requestsPerSecond: 1, burst: 5, monthlyRequests: 10_000, tokensPerMinute: 20_000 },
  standard: { requestsPerSecond: 10, burst: 20, monthlyRequests: 1_000_000, tokensPerMinute: 200_000 },
  pro: { requestsPerSecond: 50, burst: 100, monthlyRequests: 10_000_000, tokensPerMinute: 2_000_000 },
};

export const DEFAULT_PLAN = 'standard';

/** The plan `name` with `overrides` applied; throws naming the unknown plan or the bad limit. */
export function resolvePlan(name: string, overrides: Partial<PlanLimits> = {}): TenantPlan {
  const preset = Object.hasOwn(PLAN_PRESETS, name) ? PLAN_PRESETS[name] : undefined;
  if (!preset && name !== 'custom') throw new Error(`unknown plan '${name}': use one of ${Object.keys(PLAN_PRESETS).join(', ')} or custom`);
  const parsed = planLimitsSchema.safeParse({ ...preset, ...overrides });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`plan ${name}: ${String(issue.path[0] ?? 'limits')} ${issue.message}`);
  }
  return { name, ...parsed.data };
}

/** Reads a stored plan item's limits; undefined when the item is missing or malformed (no limits). */
export function planFromItem(item: Record<string, unknown> | undefined): TenantPlan | undefined {
  if (!item) return undefined;
  const parsed = planLimitsSchema.safeParse({
    requestsPerSecond: item['requestsPerSecond'], burst: item['burst'], monthlyRequests: item['monthlyRequests'], tokensPerMinute: item['tokensPerMinute'],
  });
  if (!parsed.success) return undefined;
  return { name: typeof item['plan'] === 'string' ? item['plan'] : 'custom', ...parsed.data };
}
