// `admin create-tenant --plan` and `admin set-plan`: a tenant's rate-limit plan.
// The plan item `{ pk: TENANT#<id>, sk: PLAN }` is what the router (tokens per minute) and the local
// runtime (all four limits) read. With --rest-api-id (or ROUTER_REST_API_ID; stage from --stage or
// STAGE), the tenant's own API Gateway usage plan and key are created or updated too: that is what
// enforces requests per second, burst and the monthly quota in AWS.
import { DEFAULT_PLAN, PLAN_PRESETS, resolvePlan } from '#core/limits/plans.ts';
import type { PlanLimits, TenantPlan } from '#core/limits/plans.ts';
import { apiGatewayClient, provisionTenantUsagePlan } from '#adapters/aws/usage-plan-provisioner.ts';
import type { ApiGatewaySender } from '#adapters/aws/usage-plan-provisioner.ts';
import type { TenantRepository } from '#adapters/dynamodb/tenant-repository.ts';
import type { OptionSpec } from './command.ts';
import type { Io } from './io.ts';

/** The plan options of create-tenant and set-plan. */
export const planOptionSpecs: Record<string, OptionSpec> = {
  plan: { type: 'string', value: `<${Object.keys(PLAN_PRESETS).join('|')}|custom>`, description: `rate-limit plan (default: ${DEFAULT_PLAN})` },
  rps: { type: 'string', value: '<n>', description: 'requests per second (overrides the plan)' },
  burst: { type: 'string', value: '<n>', description: 'burst of requests (overrides the plan)' },
  'monthly-requests': { type: 'string', value: '<n>', description: 'requests per month (overrides the plan)' },
  'tokens-per-minute': { type: 'string', value: '<n>', description: 'tokens per minute, enforced by the router (overrides the plan)' },
  'rest-api-id': { type: 'string', value: '<id>', description: "the stack's RestApiId output: also create or update the tenant's own API Gateway usage plan (or ROUTER_REST_API_ID)" },
  stage: { type: 'string', value: '<stage>', description: 'the API stage of that usage plan (or STAGE)' },
};

type PlanFlags = Record<string, string | boolean | undefined>;

function numberFlag(flags: PlanFlags, flag: string): number | undefined {
  const text = flags[flag];
  if (typeof text !== 'string') return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`--${flag} must be a number, got '${text}'`);
  return value;
}

/** The plan named by `name` (default: standard) with the flags' overrides. */
export function planFromFlags(name: string | undefined, flags: PlanFlags): TenantPlan {
  const overrides: Partial<PlanLimits> = {};
  const set = <K extends keyof PlanLimits>(key: K, value: number | undefined) => { if (value !== undefined) overrides[key] = value; };
  set('requestsPerSecond', numberFlag(flags, 'rps'));
  set('burst', numberFlag(flags, 'burst'));
  set('monthlyRequests', numberFlag(flags, 'monthly-requests'));
  set('tokensPerMinute', numberFlag(flags, 'tokens-per-minute'));
  return resolvePlan(name ?? DEFAULT_PLAN, overrides);
}

export interface PlanContext {
  tenants: TenantRepository;
  io: Io;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  /** API Gateway client; injectable for tests. */
  gateway?: ApiGatewaySender;
}

/** Stores the plan item and, when a REST API is named, the tenant's own usage plan in API Gateway. */
export async function applyPlan(ctx: PlanContext, tenantId: string, plan: TenantPlan, flags: PlanFlags): Promise<void> {
  const restApiId = (typeof flags['rest-api-id'] === 'string' ? flags['rest-api-id'] : undefined) ?? ctx.env['ROUTER_REST_API_ID'];
  const stage = (typeof flags['stage'] === 'string' ? flags['stage'] : undefined) ?? ctx.env['STAGE'];
  if (restApiId && !stage) throw new Error('--rest-api-id needs --stage (or STAGE): the usage plan is attached to one stage');
  const { name, ...limits } = plan;
  await ctx.tenants.putPlan(tenantId, plan, ctx.now().toISOString());
  const summary = `${limits.requestsPerSecond} rps, burst ${limits.burst}, ${limits.monthlyRequests} requests a month, ${limits.tokensPerMinute} tokens a minute`;
  ctx.io.out(`plan ${name} for tenant ${tenantId}: ${summary}`);
  if (!restApiId || !stage) {
    ctx.io.out('no --rest-api-id: the router and the local runtime apply this plan; on AWS, pass --rest-api-id <RestApiId output> --stage <stage> so API Gateway enforces it.');
    return;
  }
  const result = await provisionTenantUsagePlan(ctx.gateway ?? apiGatewayClient(), { restApiId, stage }, tenantId, limits);
  ctx.io.out(`usage plan ${result.usagePlanId} (${result.created.plan ? 'created' : 'updated'}) with key ${result.apiKeyId} for tenant ${tenantId} on ${restApiId}/${stage}`);
}
