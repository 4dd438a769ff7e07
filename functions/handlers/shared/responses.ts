// Response shapes for the streaming router handler (middy streamifyResponse: body is a string or Readable).
import type { Readable } from 'node:stream';
import { RouterError } from '#core/shared/errors.ts';

export interface StreamingResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Readable;
}

const BASE_HEADERS = { 'cache-control': 'no-store' };

/** A JSON response. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): StreamingResponse {
  return { statusCode, headers: { ...BASE_HEADERS, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** An error in OpenAI's shape; anything that is not a RouterError becomes a generic 500. */
export function errorResponse(error: unknown, requestId: string): StreamingResponse {
  if (error instanceof RouterError) {
    return json(error.status, error.toBody(), { ...error.headers, 'x-request-id': requestId });
  }
  return json(500, {
    error: { message: `Internal error; quote request id ${requestId} when reporting it.`, type: 'server_error', param: null, code: 'internal_error' },
  }, { 'x-request-id': requestId });
}

/** 405 with the methods this path answers in `allow`. */
export function methodNotAllowed(method: string, allowed: string): RouterError {
  return new RouterError(`Method ${method} is not allowed here; use ${allowed}.`, {
    status: 405, type: 'invalid_request_error', code: 'method_not_allowed', headers: { allow: allowed },
  });
}
