// What to do after a failed provider attempt, and how a run of failures is reported to the client.
import { ProviderError, RouterError } from '../shared/errors.ts';
import type { ProviderFailureKind, RouterErrorOptions, RouterStatus } from '../shared/errors.ts';

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

/**
 * The one classification of provider failures; the chat retry policy (retry-policy.ts) and the batch
 * worker (core/batch/process-item.ts) both decide from it.
 *
 *   refused     content_policy, bad_request, unsendable_request: the request itself is refused (or
 *               could not even be encoded); every model would refuse it.
 *   too_long    context_length: only a model with a larger context window can help.
 *   transient   rate_limited, server_error, connection: the same deployment may answer shortly.
 *   deployment  timeout, authentication, malformed_response, stream_interrupted, adapter_error:
 *               this deployment failed; another one may answer.
 */
export type FailureClass = 'refused' | 'too_long' | 'transient' | 'deployment';

const CLASS_OF: Record<ProviderFailureKind, FailureClass> = {
  content_policy: 'refused',
  bad_request: 'refused',
  unsendable_request: 'refused',
  context_length: 'too_long',
  rate_limited: 'transient',
  server_error: 'transient',
  connection: 'transient',
  timeout: 'deployment',
  authentication: 'deployment',
  malformed_response: 'deployment',
  stream_interrupted: 'deployment',
  adapter_error: 'deployment',
};

/** The class of a provider failure kind. */
export function classifyFailure(kind: ProviderFailureKind): FailureClass {
  return CLASS_OF[kind];
}

/**
 * The error a request gets when no attempt produced an answer; it keeps the attempts' failures so a
 * caller (the batch worker) can decide from their class rather than from the HTTP status.
 */
export class UpstreamFailureError extends RouterError {
  override name = 'UpstreamFailureError';
  readonly failures: readonly AttemptFailure[];

  constructor(message: string, options: RouterErrorOptions, failures: readonly AttemptFailure[]) {
    super(message, options);
    this.failures = failures;
  }

  /** The class of the last failure; undefined when no attempt was made. */
  get lastClass(): FailureClass | undefined {
    const last = this.failures.at(-1);
    return last && classifyFailure(last.kind);
  }
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
 * The error of a call the caller cut before an answer: the client left (499, "client closed request",
 * as nginx and load balancers log it: not a server error, so it never counts towards the 5xx alarms,
 * and nobody reads it anyway) or the function's deadline came (504).
 */
export function cutByCallerError(ending: 'client_disconnected' | 'function_timeout', failures: readonly AttemptFailure[]): UpstreamFailureError {
  return ending === 'function_timeout'
    ? new UpstreamFailureError('The request ran out of time before a provider answered.', { status: 504, type: 'timeout_error', code: 'function_timeout' }, [...failures])
    : new UpstreamFailureError('The client closed the request before it was answered.', { status: 499, type: 'api_error', code: 'client_closed_request' }, [...failures]);
}

/**
 * Builds the error returned when no attempt produced an answer; it carries every provider's reason.
 * `budgetSpentMs` is set when the request's time budget ran out before the plan did.
 */
export function failureToRouterError(failures: readonly AttemptFailure[], budgetSpentMs?: number): UpstreamFailureError {
  const fail = (message: string, options: RouterErrorOptions): UpstreamFailureError =>
    new UpstreamFailureError(message, options, [...failures]);
  const last = failures.at(-1);
  if (!last) {
    return fail('No provider attempt was made.', { status: 502, type: 'upstream_error', code: 'upstream_error' });
  }
  if (last.kind === 'unsendable_request') {
    return fail(`The request could not be encoded for ${last.providerId}; simplify its structure.`, {
      status: 400,
      type: 'invalid_request_error',
      code: 'invalid_request',
    });
  }
  if (last.kind === 'content_policy') {
    return fail(`${last.message}.`, {
      status: 400,
      type: 'invalid_request_error',
      code: 'content_policy_violation',
    });
  }
  if (last.kind === 'bad_request') {
    return fail(`${last.message}.`, {
      status: 400,
      type: 'invalid_request_error',
      code: 'upstream_bad_request',
    });
  }
  if (last.kind === 'context_length') {
    return fail(`The request does not fit the context window of ${last.modelId}, and no candidate with a larger window was left (${last.message}).`, {
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
  return fail(`All ${failures.length} upstream attempt(s) failed: ${reasons.join('; ')}.${budget}`, {
    status: budgetSpentMs === undefined ? statusFor(last.kind) : 504,
    type: 'upstream_error',
    code: timedOut ? 'upstream_timeout' : 'upstream_unavailable',
    headers,
  });
}
