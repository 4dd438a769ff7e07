// The API Gateway usage-plan key of a tenant, derived from the stage and the tenant id. The authorizer
// returns it as `usageIdentifierKey`; the stack (tenants declared in context) and `admin create-tenant`
// / `set-plan` (tenants created at run time) create an API key with exactly this value in the tenant's
// own usage plan. Deriving it means the authorizer reads nothing but the caller's key item, and no
// two tenants can ever share a plan. The value is not a credential: with `apiKeySource: AUTHORIZER`
// clients cannot present it, it only selects the plan.
import { createHash } from 'node:crypto';

/** `llm-router-<stage>-` + 40 hex chars of SHA-256(stage/tenant): 20 to 128 chars, as API Gateway wants. */
export function usagePlanKeyValue(stage: string, tenantId: string): string {
  return `llm-router-${stage}-${createHash('sha256').update(`${stage}/${tenantId}`, 'utf8').digest('hex').slice(0, 40)}`;
}

/** Name of the tenant's usage plan and API key in API Gateway. */
export function usagePlanName(stage: string, tenantId: string): string {
  return `llm-router-${stage}-tenant-${tenantId}`;
}
