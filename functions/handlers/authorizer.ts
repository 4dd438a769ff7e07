// API Gateway Lambda authorizer: resolves `Authorization: Bearer sk-lr-...` to a tenant (TOKEN
// events), or on the Messages API routes either that or Anthropic's `x-api-key: sk-lr-...` (REQUEST
// events, which carry all headers).
// Allows every method of the stage (so API Gateway's 300 s cached policy serves all routes), passes
// `{ tenantId, keyId }` as context and the tenant's usage-plan key as `usageIdentifierKey`.
// Throwing `Error('Unauthorized')` is API Gateway's signal for a 401. The key itself is never logged.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { tenantTable } from '#contracts/tables.ts';
import { apiKeyPattern, defaultUsagePlanKeyEnv, parseBearer } from '#core/auth/api-keys.ts';
import { DynamoKeyStore, type ApiKeyRecord } from '#adapters/dynamodb/key-store.ts';

export interface KeyLookup {
  lookup(apiKey: string): Promise<ApiKeyRecord | undefined>;
}

export interface AuthorizerDeps {
  keys: KeyLookup;
  /** Usage-plan key for tenants without their own plan; omitted when unset. */
  defaultUsagePlanKey?: string;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

/**
 * `arn:aws:execute-api:region:account:apiId/stage/*` from a method ARN
 * (`.../apiId/stage/VERB/path`), so one cached policy covers every route of the stage.
 */
export function stageWildcardArn(methodArn: string): string {
  const [arnPrefix, apiGatewayArn] = splitOnce(methodArn, ':execute-api:');
  const parts = apiGatewayArn.split('/');
  if (parts.length < 2 || !parts[0] || !parts[1]) throw new Error(`Unexpected methodArn: ${methodArn}`);
  return `${arnPrefix}:execute-api:${parts[0]}/${parts[1]}/*`;
}

function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  if (at < 0) throw new Error(`Unexpected methodArn: ${value}`);
  return [value.slice(0, at), value.slice(at + separator.length)];
}

type AuthorizerEvent = APIGatewayTokenAuthorizerEvent | APIGatewayRequestAuthorizerEvent;

/** The API key of a TOKEN event's bearer, or of a REQUEST event's Authorization or x-api-key header. */
export function apiKeyOf(event: AuthorizerEvent): string | undefined {
  if ('authorizationToken' in event) return parseBearer(event.authorizationToken);
  const headers = Object.entries(event.headers ?? {});
  const named = (name: string) => headers.find(([key]) => key.toLowerCase() === name)?.[1] ?? undefined;
  const bearer = parseBearer(named('authorization'));
  if (bearer) return bearer;
  const apiKey = named('x-api-key')?.trim();
  return apiKey && apiKeyPattern.test(apiKey) ? apiKey : undefined;
}

export function createAuthorizer(deps: AuthorizerDeps) {
  return async (event: AuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const apiKey = apiKeyOf(event);
    const record = apiKey ? await deps.keys.lookup(apiKey) : undefined;
    if (!record) {
      deps.logger?.info('authorizer.denied', { reason: apiKey ? 'unknown_or_revoked_key' : 'missing_bearer' });
      throw new Error('Unauthorized');
    }
    const usageIdentifierKey = record.usagePlanKey ?? deps.defaultUsagePlanKey;
    deps.logger?.info('authorizer.allowed', { tenantId: record.tenantId, keyId: record.keyId });
    return {
      principalId: record.keyId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: stageWildcardArn(event.methodArn) }],
      },
      context: { tenantId: record.tenantId, keyId: record.keyId },
      ...(usageIdentifierKey ? { usageIdentifierKey } : {}),
    };
  };
}

type Authorizer = ReturnType<typeof createAuthorizer>;
let instance: Authorizer | undefined;

/** Built on first use from the environment (TABLE_TENANTS, DEFAULT_USAGE_PLAN_KEY). */
export const handler = async (event: AuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  instance ??= fromEnvironment();
  return instance(event);
};

function fromEnvironment(): Authorizer {
  const tableName = process.env[tenantTable.envVar];
  if (!tableName) throw new Error(`${tenantTable.envVar} is not set`);
  const defaultUsagePlanKey = process.env[defaultUsagePlanKeyEnv] || undefined;
  return createAuthorizer({
    keys: new DynamoKeyStore({ tableName }),
    logger: new Logger({ serviceName: 'llm-router-authorizer' }),
    ...(defaultUsagePlanKey ? { defaultUsagePlanKey } : {}),
  });
}
