// API Gateway Lambda authorizer: resolves `Authorization: Bearer sk-lr-...` to a tenant with one GetItem
// (TOKEN events), or on the Messages API routes either that or Anthropic's `x-api-key: sk-lr-...`
// (REQUEST events, which carry all headers).
// Allows every method of the stage (so API Gateway's 300 s cached policy serves all routes), passes
// `{ tenantId, keyId }` as context and the tenant's own usage-plan key (derived from stage and tenant,
// see contracts/usage-plans.ts) as `usageIdentifierKey`. Throwing `Error('Unauthorized')` is API
// Gateway's signal for a 401. The key itself is never logged.
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, Context } from 'aws-lambda';
import { DynamoKeyStore } from '#adapters/dynamodb/key-store.ts';
import { usagePlanKeyValue } from '#contracts/usage-plans.ts';
import type { KeyStore } from '#core/auth/ports.ts';
import { readAuthorizerConfig } from './shared/authorizer-config.ts';
import { documentClient } from './shared/aws-clients.ts';
import { apiKeyOf, stageWildcardArn } from './shared/authorizer-event.ts';
import type { AuthorizerEvent } from './shared/authorizer-event.ts';
import { coldStart } from './shared/cold-start.ts';
import { logger as sharedLogger } from './shared/logger.ts';

export { apiKeyOf, stageWildcardArn } from './shared/authorizer-event.ts';

export interface AuthorizerDeps {
  keys: KeyStore;
  stage: string;
  logger?: Pick<typeof sharedLogger, 'info'>;
}

export function createAuthorizer(deps: AuthorizerDeps) {
  const log = deps.logger ?? sharedLogger;
  return async (event: AuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const apiKey = apiKeyOf(event);
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
  return createAuthorizer({ keys: new DynamoKeyStore({ tableName: config.tenantsTableName, client: documentClient() }), stage: config.stage });
});

export const handler = middy<AuthorizerEvent, APIGatewayAuthorizerResult, Error, Context>()
  .handler(async (event) => (await authorizerRuntime())(event));
