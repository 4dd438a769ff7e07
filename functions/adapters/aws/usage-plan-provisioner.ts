// Creates or updates a tenant's own API Gateway usage plan and its one API key, whose value is the one
// the authorizer derives (contracts/usage-plans.ts). Idempotent: found by name, created when missing,
// limits updated in place. Used by `admin create-tenant --plan` / `set-plan` for tenants created at
// run time; tenants declared in CDK context get the same resources from the stack.
import {
  APIGatewayClient, CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetApiKeysCommand,
  GetUsagePlanKeysCommand, GetUsagePlansCommand, UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import { usagePlanKeyValue, usagePlanName } from '#contracts/usage-plans.ts';
import type { PlanLimits } from '#core/limits/plans.ts';

/** The slice of the SDK client used here; tests pass a scripted stand-in (no local API Gateway exists). */
export interface ApiGatewaySender {
  send: APIGatewayClient['send'];
}

export interface UsagePlanTarget {
  restApiId: string;
  stage: string;
}

export interface ProvisionResult {
  usagePlanId: string;
  apiKeyId: string;
  created: { plan: boolean; key: boolean; link: boolean };
}

export async function provisionTenantUsagePlan(
  client: ApiGatewaySender, target: UsagePlanTarget, tenantId: string, limits: PlanLimits,
): Promise<ProvisionResult> {
  const name = usagePlanName(target.stage, tenantId);
  const created = { plan: false, key: false, link: false };

  const keys = await client.send(new GetApiKeysCommand({ nameQuery: name, limit: 500 }));
  let apiKeyId = keys.items?.find((k) => k.name === name)?.id;
  if (!apiKeyId) {
    const key = await client.send(new CreateApiKeyCommand({
      name, value: usagePlanKeyValue(target.stage, tenantId), enabled: true,
      description: `Usage-plan key of tenant ${tenantId}, returned by the authorizer (not a credential)`,
    }));
    apiKeyId = key.id!;
    created.key = true;
  }

  let usagePlanId: string | undefined;
  let position: string | undefined;
  do {
    const page = await client.send(new GetUsagePlansCommand({ limit: 500, position }));
    usagePlanId = page.items?.find((p) => p.name === name)?.id;
    position = usagePlanId ? undefined : page.position;
  } while (position);
  const throttle = { rateLimit: limits.requestsPerSecond, burstLimit: limits.burst };
  const quota = { limit: limits.monthlyRequests, period: 'MONTH' as const };
  if (!usagePlanId) {
    const plan = await client.send(new CreateUsagePlanCommand({
      name, description: `Plan of tenant ${tenantId}`, throttle, quota,
      apiStages: [{ apiId: target.restApiId, stage: target.stage }],
    }));
    usagePlanId = plan.id!;
    created.plan = true;
  } else {
    await client.send(new UpdateUsagePlanCommand({
      usagePlanId,
      patchOperations: [
        { op: 'replace', path: '/throttle/rateLimit', value: String(throttle.rateLimit) },
        { op: 'replace', path: '/throttle/burstLimit', value: String(throttle.burstLimit) },
        { op: 'replace', path: '/quota/limit', value: String(quota.limit) },
        { op: 'replace', path: '/quota/period', value: quota.period },
      ],
    }));
  }

  const linked = await client.send(new GetUsagePlanKeysCommand({ usagePlanId, nameQuery: name }));
  if (!linked.items?.some((k) => k.id === apiKeyId)) {
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId: apiKeyId, keyType: 'API_KEY' }));
    created.link = true;
  }
  return { usagePlanId, apiKeyId, created };
}

export function apiGatewayClient(): APIGatewayClient {
  return new APIGatewayClient({});
}
