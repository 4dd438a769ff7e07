// Errors on the Messages API endpoints in Anthropic's shape: `{type:"error",error:{type,message}}`,
// with the same HTTP status the router uses elsewhere.
import { RouterError } from '../shared/errors.ts';

export interface MessagesErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id: string;
}

/** Anthropic's error type for an HTTP status (https://docs.anthropic.com/en/api/errors). */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
    case 405:
    case 415: return 'invalid_request_error';
    case 401: return 'authentication_error';
    case 402: return 'billing_error';
    case 403: return 'permission_error';
    case 404: return 'not_found_error';
    case 413: return 'request_too_large';
    case 429: return 'rate_limit_error';
    case 503:
    case 529: return 'overloaded_error';
    case 504: return 'timeout_error';
    default: return 'api_error';
  }
}

/** Status and body for any error; details of unexpected ones are not exposed. */
export function messagesError(error: unknown, requestId: string): { status: number; headers: Record<string, string>; body: MessagesErrorBody } {
  if (error instanceof RouterError) {
    return { status: error.status, headers: error.headers, body: { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message }, request_id: requestId } };
  }
  return {
    status: 500,
    headers: {},
    body: { type: 'error', error: { type: 'api_error', message: `Internal error; quote request id ${requestId} when reporting it.` }, request_id: requestId },
  };
}
