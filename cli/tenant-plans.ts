// `admin create-tenant --plan` and `admin set-plan`: a tenant's rate-limit plan.
//   set-plan <tenant> <plan> [--rps n] [--burst n] [--monthly-requests n] [--tokens-per-minute n]
//            [--rest-api-id id --stage s]
// The plan item `{ pk: TENANT#<id>, sk: PLAN }` is what the router (tokens per minute) and the local
// runtime (all four limits) read. With --rest-api-id (or ROUTER_REST_API_ID; stage from --stage or
// STAGE), the tenant's own API Gateway usage plan and key are created or updated too: that is what
// enforces requests per second, burst and the monthly quota in AWS.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tenantKeys } from '#contracts/tables.ts';
import { DEFAULT_PLAN, PLAN_PRESETS, resolvePlan } from '#core/limits/plans.ts';
import type { PlanLimits, TenantPlan } from '#core/limits/plans.ts';
import { apiGatewayClient, provisionTenantUsagePlan } from '#adapters/aws/usage-plan-provisioner.ts';
import type { ApiGatewaySender } from '#adapters/aws/usage-plan-provisioner.ts';
import type { Io } from './io.ts';

/** parseArgs options of the plan flags. */
export const planOptions = {
  plan: { type: 'string' }, rps: { type: 'string' }, burst: { type: 'string' },
  'monthly-requests': { type: 'string' }, 'tokens-per-minute': { type: 'string' },
  'rest-api-id': { type: 'string' }, stage: { type: 'string' },
} as const;

export const planUsage = [
  `  create-tenant <id> [--name <name>] [--plan <${Object.keys(PLAN_PRESETS).join('|')}|custom>] [limits] [gateway]`,
  '  set-plan <tenant> <plan> [limits] [gateway]',
  '    limits:  --rps <n> --burst <n> --monthly-requests <n> --tokens-per-minute <n>',
  '    gateway: --rest-api-id <id> --stage <stage>   (or ROUTER_REST_API_ID, STAGE): the tenant\'s own usage plan in AWS',
].join('\n');

type PlanFlags = Partial<Record<keyof typeof planOptions, string>>;

function numberFlag(flags: PlanFlags, flag: keyof PlanFlags): number | undefined {
  const text = flags[flag];
  if (text === undefined) return undefined;
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
  db: DynamoDBDocumentClient;
  table: string;
  io: Io;
  now: () => string;
  env: NodeJS.ProcessEnv;
  /** API Gateway client; injectable for tests. */
  gateway?: ApiGatewaySender;
}

/** Stores the plan item and, when a REST API is named, the tenant's own usage plan in API Gateway. */
export async function applyPlan(ctx: PlanContext, tenantId: string, plan: TenantPlan, flags: PlanFlags): Promise<void> {
  const { name, ...limits } = plan;
  await ctx.db.send(new PutCommand({
    TableName: ctx.table,
    Item: { pk: tenantKeys.tenantPk(tenantId), sk: tenantKeys.planSk, tenantId, plan: name, ...limits, updatedAt: ctx.now() },
  }));
  const summary = `${limits.requestsPerSecond} rps, burst ${limits.burst}, ${limits.monthlyRequests} requests a month, ${limits.tokensPerMinute} tokens a minute`;
  ctx.io.out(`plan ${name} for tenant ${tenantId}: ${summary}`);
  const restApiId = flags['rest-api-id'] ?? ctx.env['ROUTER_REST_API_ID'];
  const stage = flags.stage ?? ctx.env['STAGE'];
  if (!restApiId) {
    ctx.io.out('no --rest-api-id: the router and the local runtime apply this plan; on AWS, pass --rest-api-id <RestApiId output> so API Gateway enforces it.');
    return;
  }
  if (!stage) throw new Error('--rest-api-id needs --stage (or STAGE): the usage plan is attached to one stage');
  const result = await provisionTenantUsagePlan(ctx.gateway ?? apiGatewayClient(), { restApiId, stage }, tenantId, limits);
  ctx.io.out(`usage plan ${result.usagePlanId} (${result.created.plan ? 'created' : 'updated'}) with key ${result.apiKeyId} for tenant ${tenantId} on ${restApiId}/${stage}`);
}
