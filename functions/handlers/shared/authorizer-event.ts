// Reading an API Gateway authorizer event: the API key it carries and the stage its method ARN names.
import type { APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { apiKeyPattern, parseBearer } from '#core/auth/api-keys.ts';

/** `arn:...:execute-api:region:account:apiId/stage/*` from a method ARN, so one cached policy covers the stage. */
export function stageWildcardArn(methodArn: string): string {
  const at = methodArn.indexOf(':execute-api:');
  const parts = at < 0 ? [] : methodArn.slice(at + ':execute-api:'.length).split('/');
  if (parts.length < 2 || !parts[0] || !parts[1]) throw new Error(`Unexpected methodArn: ${methodArn}`);
  return `${methodArn.slice(0, at)}:execute-api:${parts[0]}/${parts[1]}/*`;
}

export type AuthorizerEvent = APIGatewayTokenAuthorizerEvent | APIGatewayRequestAuthorizerEvent;

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
