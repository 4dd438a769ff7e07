// What to do after a failed provider attempt, and how a run of failures is reported to the client.
import { ProviderError, RouterError } from '../shared/errors.ts';
import type { ProviderFailureKind, RouterStatus } from '../shared/errors.ts';

export interface AttemptFailure {
  modelId: string;
  providerId: string;
  kind: ProviderFailureKind;
  message: string;
  upstreamStatus?: number;
  retryAfterMs?: number;
  /** The provider's error type or code when code-shaped; may be shown to the tenant. */
  upstreamCode?: string;
  /** The provider's own words, redacted: for logs only, never in a response. */
  detail?: string;
}

/** Failures that are the request's fault: another model would fail the same way, so stop. */
const TERMINAL: ReadonlySet<ProviderFailureKind> = new Set(['content_policy', 'bad_request', 'unsendable_request']);

/** Whether the router may move on to another candidate after this failure (retry-policy.ts decides how). */
export function shouldFailOver(failure: AttemptFailure): boolean {
  return !TERMINAL.has(failure.kind);
}

/** Normalises anything an adapter threw into an AttemptFailure. */
export function toAttemptFailure(error: unknown, modelId: string, providerId: string): AttemptFailure {
  if (error instanceof ProviderError) {
    return {
      modelId,
      providerId,
      kind: error.kind,
      message: error.message,
      ...(error.upstreamStatus === undefined ? {} : { upstreamStatus: error.upstreamStatus }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.upstreamCode === undefined ? {} : { upstreamCode: error.upstreamCode }),
      ...(error.detail === undefined ? {} : { detail: error.detail }),
    };
  }
  // An adapter bug must not take the router down with a stack trace, nor count against the
  // provider's health (a tenant could trigger it on purpose): it fails over, its text stays in logs.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { modelId, providerId, kind: 'adapter_error', message: `${providerId} was not called: the request could not be translated`, detail };
}

function statusFor(kind: ProviderFailureKind): RouterStatus {
  switch (kind) {
    case 'timeout':
      return 504;
    case 'rate_limited':
    case 'server_error':
      return 503;
    default:
      return 502;
  }
}

/**
 * Builds the error returned when no attempt produced an answer; it carries every provider's reason.
 * `budgetSpentMs` is set when the request's time budget ran out before the plan did.
 */
export function failureToRouterError(failures: readonly AttemptFailure[], budgetSpentMs?: number): RouterError {
  const last = failures.at(-1);
  if (!last) {
    return new RouterError('No provider attempt was made.', { status: 502, type: 'upstream_error', code: 'upstream_error' });
  }
  if (last.kind === 'unsendable_request') {
    return new RouterError(`The request could not be encoded for ${last.providerId}; simplify its structure.`, {
      status: 400,
      type: 'invalid_request_error',
      code: 'invalid_request',
    });
  }
  if (last.kind === 'content_policy') {
    return new RouterError(`${last.message}.`, {
      status: 400,
      type: 'invalid_request_error',
      code: 'content_policy_violation',
    });
  }
  if (last.kind === 'bad_request') {
    return new RouterError(`${last.message}.`, {
      status: 400,
      type: 'invalid_request_error',
      code: 'upstream_bad_request',
    });
  }
  if (last.kind === 'context_length') {
    return new RouterError(`The request does not fit the context window of ${last.modelId}, and no candidate with a larger window was left (${last.message}).`, {
      status: 400,
      type: 'invalid_request_error',
      code: 'context_length_exceeded',
      param: 'messages',
    });
  }
  // Our own words, the provider's code and status class only: never what the provider wrote.
  const reasons = failures.map((f) => `${f.modelId}: ${f.message}`);
  const headers: Record<string, string> = {};
  if (last.kind === 'rate_limited' && last.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(last.retryAfterMs / 1000)));
  }
  const budget = budgetSpentMs === undefined ? '' : ` The time budget of ${budgetSpentMs} ms is spent.`;
  const timedOut = last.kind === 'timeout' || budgetSpentMs !== undefined;
  return new RouterError(`All ${failures.length} upstream attempt(s) failed: ${reasons.join('; ')}.${budget}`, {
    status: budgetSpentMs === undefined ? statusFor(last.kind) : 504,
    type: 'upstream_error',
    code: timedOut ? 'upstream_timeout' : 'upstream_unavailable',
    headers,
  });
}
