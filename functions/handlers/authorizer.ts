// API Gateway TOKEN authorizer: resolves `Authorization: Bearer sk-lr-...` to a tenant with one GetItem.
// Allows every method of the stage (so API Gateway's 300 s cached policy serves all routes), passes
// `{ tenantId, keyId }` as context and the tenant's own usage-plan key (derived from stage and tenant,
// see contracts/usage-plans.ts) as `usageIdentifierKey`. Throwing `Error('Unauthorized')` is API
// Gateway's signal for a 401. The key itself is never logged.
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { DynamoKeyStore } from '#adapters/dynamodb/key-store.ts';
import { usagePlanKeyValue } from '#contracts/usage-plans.ts';
import { parseBearer } from '#core/auth/api-keys.ts';
import type { KeyStore } from '#core/auth/ports.ts';
import { readAuthorizerConfig } from './shared/authorizer-config.ts';
import { coldStart } from './shared/cold-start.ts';
import { logger as sharedLogger } from './shared/logger.ts';

export interface AuthorizerDeps {
  keys: KeyStore;
  stage: string;
  logger?: Pick<typeof sharedLogger, 'info'>;
}

/** `arn:...:execute-api:region:account:apiId/stage/*` from a method ARN, so one cached policy covers the stage. */
export function stageWildcardArn(methodArn: string): string {
  const at = methodArn.indexOf(':execute-api:');
  const parts = at < 0 ? [] : methodArn.slice(at + ':execute-api:'.length).split('/');
  if (parts.length < 2 || !parts[0] || !parts[1]) throw new Error(`Unexpected methodArn: ${methodArn}`);
  return `${methodArn.slice(0, at)}:execute-api:${parts[0]}/${parts[1]}/*`;
}

export function createAuthorizer(deps: AuthorizerDeps) {
  const log = deps.logger ?? sharedLogger;
  return async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const apiKey = parseBearer(event.authorizationToken);
    const principal = apiKey ? await deps.keys.authenticate(apiKey) : undefined;
    if (!principal) {
      log.info('authorizer.denied', { reason: apiKey ? 'unknown_or_revoked_key' : 'missing_bearer' });
      throw new Error('Unauthorized');
    }
    log.info('authorizer.allowed', { tenantId: principal.tenantId, keyId: principal.keyId });
    return {
      principalId: principal.keyId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: stageWildcardArn(event.methodArn) }],
      },
      context: { tenantId: principal.tenantId, keyId: principal.keyId },
      usageIdentifierKey: usagePlanKeyValue(deps.stage, principal.tenantId),
    };
  };
}

const authorizerRuntime = coldStart(async () => {
  const config = readAuthorizerConfig();
  return createAuthorizer({ keys: new DynamoKeyStore({ tableName: config.tenantsTableName }), stage: config.stage });
});

export const handler = middy<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult, Error, Context>()
  .handler(async (event) => (await authorizerRuntime())(event));
