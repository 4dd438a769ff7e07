// Reading the parts of an API Gateway (REST, proxy integration) event that the router needs.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from 'zod/v4/core';
import { AuthenticationError, InvalidRequestError, PayloadTooLargeError } from '#core/shared/errors.ts';
import type { Principal } from '#core/auth/ports.ts';
import type { CacheMode } from '#core/cache/ports.ts';
import type { RoutingHints } from '#core/routing/hints.ts';

/** Case-insensitive header lookup (API Gateway keeps the client's casing). */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** Parses the JSON body within a byte limit; 413 over the limit, 400 naming the problem otherwise. */
export function jsonBody(event: APIGatewayProxyEvent, maxBytes: number): unknown {
  if (event.body === null || event.body === undefined || event.body === '') {
    throw new InvalidRequestError('The request body is empty; send a JSON object.', null, 'invalid_body');
  }
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > maxBytes) throw new PayloadTooLargeError(maxBytes);
  const contentType = header(event, 'content-type');
  if (contentType && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new InvalidRequestError(`Unsupported content-type '${contentType}'; send application/json.`, null, 'invalid_content_type');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new InvalidRequestError(`The request body is not valid JSON: ${(error as Error).message}`, null, 'invalid_json', error);
  }
}

/** The routing hints from the `x-router-*` request headers. */
export function routingHints(event: APIGatewayProxyEvent): RoutingHints {
  const hints: RoutingHints = {};
  const strategy = header(event, 'x-router-strategy');
  const task = header(event, 'x-router-task');
  const minQuality = header(event, 'x-router-min-quality');
  const maxCost = header(event, 'x-router-max-cost');
  if (strategy !== undefined) hints.strategy = strategy;
  if (task !== undefined) hints.task = task;
  if (minQuality !== undefined) hints.minQuality = minQuality;
  if (maxCost !== undefined) hints.maxCost = maxCost;
  return hints;
}

const CACHE_MODES: readonly CacheMode[] = ['use', 'bypass', 'refresh'];

/** The `x-router-cache` request header: `use` (default), `bypass` or `refresh`. */
export function cacheMode(event: APIGatewayProxyEvent): CacheMode {
  const value = header(event, 'x-router-cache')?.trim().toLowerCase();
  if (value === undefined || value === '') return 'use';
  if ((CACHE_MODES as readonly string[]).includes(value)) return value as CacheMode;
  throw new InvalidRequestError(`Invalid value for header 'x-router-cache': use one of ${CACHE_MODES.join(', ')}.`, 'x-router-cache', 'invalid_value');
}

/** The caller as established by the Lambda authorizer, or undefined when it set no context. */
export function principalOf(event: APIGatewayProxyEvent): Principal | undefined {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const tenantId = context?.['tenantId'];
  const keyId = context?.['keyId'];
  if (typeof tenantId !== 'string' || typeof keyId !== 'string' || !tenantId || !keyId) return undefined;
  return { tenantId, keyId };
}

/** A classic zod or zod/mini schema: both carry `safeParse` (the router's schemas are zod/mini, jobs-api's still classic). */
type AnyZodSchema = z.$ZodType & { safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: z.$ZodError } };

/** The query string parsed by `schema`; a 400 naming the first bad parameter (`fallback` when unnamed). */
export function queryOf<S extends AnyZodSchema>(event: APIGatewayProxyEvent, schema: S, fallback: string): z.output<S> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (parsed.success) return parsed.data as z.output<S>;
  const issue = parsed.error.issues[0]!;
  const param = String(issue.path[0] ?? fallback);
  throw new InvalidRequestError(`Invalid value for '${param}': ${issue.message}.`, param, 'invalid_value');
}

/** The caller, or a 401 that says how to send a key (`how`: the header form the endpoint accepts). */
export function requirePrincipal(event: APIGatewayProxyEvent, how = 'Authorization: Bearer <key>'): Principal {
  const principal = principalOf(event);
  if (!principal) throw new AuthenticationError(`Missing or invalid API key. Send ${how}.`);
  return principal;
}

/** `decodeURIComponent`, or undefined for malformed percent-encoding (`%E0%A4%A`, `%ZZ`): a 4xx, never a 500. */
export function decodePathSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
