// Turns whatever an upstream answered (status, error body, headers, network failure) into one
// ProviderError whose `kind` drives the router's retry and failover. The error's message is our own
// wording plus the provider's error code and status (what a tenant may see); the provider's own text
// goes to `detail`, redacted, for operators' logs only: an upstream may echo its credentials.
import { ProviderError } from '#core/shared/errors.ts';
import type { ProviderFailureKind } from '#core/shared/errors.ts';
import { redact } from '#core/shared/redact.ts';

export interface FailureContext {
  providerId: string;
  modelId?: string;
}

/** What the provider said about a failure, whatever its error dialect. */
export interface ErrorDetails {
  message: string;
  code?: string;
  type?: string;
}

const CONTEXT_LENGTH =
  /context_length_exceeded|prompt is too long|maximum context length|context length|context window|too many (input )?tokens|input is too long|exceeds? (the )?max(imum)? (input |context |prompt )?(length|tokens)|reduce the length of the messages|string_above_max_length|model_context_window_exceeded|maximum number of tokens|input token count|too long/i;
const CONTENT_POLICY =
  /content_policy_violation|content_filter|content[ _-]?policy|content management policy|usage polic|safety (system|settings|filter)|blocked by (content|safety)|data_inspection_failed|inappropriate content|sensitive ?content|unsafe content|不安全|敏感|SensitiveContentDetected/i;
const RATE_LIMIT = /rate_limit|rate limit|too many requests|throttl|RESOURCE_EXHAUSTED|overloaded/i;
const AUTHENTICATION = /authentication|invalid_api_key|unauthori[sz]ed|permission_error|PERMISSION_DENIED|UNAUTHENTICATED/i;

// Anthropic names its errors instead of relying on the status alone (and reuses the names in stream
// `error` events, which have no status), so map the names back to the status they stand for.
const ANTHROPIC_TYPE_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Milliseconds to wait, from `retry-after-ms`, `Retry-After` seconds or a `Retry-After` HTTP-date. */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.round(Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const asString = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/**
 * Pulls message/code/type out of the error dialects in use: OpenAI and its clones
 * (`{error:{message,type,code}}`), Anthropic (`{type:'error',error:{type,message}}`), Gemini's
 * array-wrapped `[{error:{code,message,status}}]`, and bare `{message}` / `{code,msg}` bodies.
 */
export function extractErrorDetails(payload: unknown): ErrorDetails | undefined {
  let node: unknown = Array.isArray(payload) ? payload[0] : payload;
  if (!node || typeof node !== 'object') return undefined;
  const outer = node as Record<string, unknown>;
  if (outer.error && typeof outer.error === 'object') node = outer.error;
  else if (typeof outer.error === 'string') return { message: outer.error, code: asString(outer.code) };
  const err = node as Record<string, unknown>;
  const message = asString(err.message) ?? asString(err.msg) ?? asString(err.detail);
  const code = asString(err.code) ?? asString(err.status);
  const type = asString(err.type);
  if (message === undefined && code === undefined && type === undefined) return undefined;
  return { message: message ?? code ?? type ?? 'unknown error', code, type };
}

/** Decides the failure kind from the status (when there is one) and what the provider said. */
export function classifyFailure(status: number | undefined, details: ErrorDetails | undefined): ProviderFailureKind {
  const said = details ? `${details.code ?? ''} ${details.type ?? ''} ${details.message}` : '';
  let effective = status;
  if ((effective === undefined || effective === 200) && details?.type) effective = ANTHROPIC_TYPE_STATUS[details.type];
  if ((effective === undefined || effective === 200) && details?.code && /^\d{3}$/.test(details.code)) {
    effective = Number(details.code);
  }
  if (effective === 429) return 'rate_limited';
  if (effective === 408) return 'timeout';
  if (effective !== undefined && (effective >= 500 || effective === 529)) return 'server_error';
  if (effective === 401 || effective === 403) return 'authentication';
  // A key out of credit is as unusable as a bad key: fail over to another provider, don't retry.
  if (effective === 402) return 'authentication';
  if (CONTEXT_LENGTH.test(said)) return 'context_length';
  if (CONTENT_POLICY.test(said)) return 'content_policy';
  if (effective !== undefined && effective >= 400) return 'bad_request';
  // No usable status (an error inside a 200 body, a stream error event): go by the words.
  if (RATE_LIMIT.test(said)) return 'rate_limited';
  if (AUTHENTICATION.test(said)) return 'authentication';
  return 'server_error';
}

function reasonFrom(bodyText: string): { details: ErrorDetails | undefined; reason: string } {
  let details: ErrorDetails | undefined;
  try {
    details = extractErrorDetails(JSON.parse(bodyText));
  } catch {
    details = undefined;
  }
  const raw = details?.message ?? bodyText.replace(/\s+/g, ' ').trim();
  const reason = raw === '' ? 'no error message' : redact(raw.slice(0, 1000));
  return { details, reason };
}

/**
 * A provider's error type or code, only when it looks like one (`invalid_api_key`, `RESOURCE_EXHAUSTED`,
 * `ThrottlingException`, `429`): letters and `_` or `.`, no digits or dashes, so no key or token can
 * pass for a code. Never free text.
 */
export function safeCode(details: ErrorDetails | undefined): string | undefined {
  for (const candidate of [details?.code, details?.type]) {
    if (candidate !== undefined && /^[A-Za-z][A-Za-z_.]{0,47}$|^\d{3}$/.test(candidate) && redact(candidate) === candidate) return candidate;
  }
  return undefined;
}

/** Our own words for a failure kind. */
const KIND_TEXT: Record<ProviderFailureKind, string> = {
  rate_limited: 'rate limited the call',
  server_error: 'failed on its side',
  connection: 'could not be reached',
  timeout: 'did not answer in time',
  context_length: 'found the request too long for the model',
  content_policy: 'refused the request under its content policy',
  bad_request: 'rejected the request',
  authentication: "refused the router's credentials",
  malformed_response: 'sent a response the router cannot use',
  stream_interrupted: 'broke off the stream',
  unsendable_request: 'was not called: the request could not be encoded',
  adapter_error: 'was not called: the request could not be translated',
};

/** `openai rejected the request (HTTP 4xx, invalid_value)`: our words, the status class and the provider's code. */
export function describeFailure(providerId: string, kind: ProviderFailureKind, status?: number, code?: string): string {
  const statusClass = status === undefined || status < 100 || status > 599 ? undefined : `HTTP ${Math.floor(status / 100)}xx`;
  const facts = [statusClass, code].filter(Boolean).join(', ');
  return `${providerId} ${KIND_TEXT[kind]}${facts ? ` (${facts})` : ''}`;
}

/** A non-2xx upstream answer. */
export function failureFromResponse(
  ctx: FailureContext,
  status: number,
  bodyText: string,
  headers: Headers,
): ProviderError {
  const { details, reason } = reasonFrom(bodyText);
  const kind = classifyFailure(status, details);
  const code = safeCode(details);
  return upstreamFailure(ctx, kind, status, code, reason, {
    retryAfterMs: kind === 'rate_limited' || kind === 'server_error' ? parseRetryAfter(headers) : undefined,
  });
}

/**
 * The error for a failure the upstream reported: our wording with its status class and code (what a
 * tenant may see), its own text as `detail` (already redacted; operators' logs only).
 */
export function upstreamFailure(
  ctx: FailureContext, kind: ProviderFailureKind, status: number | undefined, code: string | undefined, detail: string,
  extra: { retryAfterMs?: number | undefined; cause?: unknown } = {},
): ProviderError {
  return new ProviderError(describeFailure(ctx.providerId, kind, status, code), {
    kind,
    providerId: ctx.providerId,
    modelId: ctx.modelId,
    upstreamStatus: status,
    ...extra,
    ...(code ? { upstreamCode: code } : {}),
    detail,
  });
}

/**
 * An error object delivered where a result was expected: inside a 200 JSON body or as a stream
 * event. Returns undefined when the payload carries no error.
 */
export function failureFromErrorPayload(ctx: FailureContext, payload: unknown, status?: number): ProviderError | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  // Gemini wraps its error envelope in a one-element array.
  const record = (Array.isArray(payload) ? payload[0] ?? {} : payload) as Record<string, unknown>;
  const carriesError = record.error !== undefined && record.error !== null || record.type === 'error';
  if (!carriesError) return undefined;
  const details = extractErrorDetails(payload) ?? { message: 'unknown error' };
  const kind = classifyFailure(status, details);
  const code = safeCode(details);
  return upstreamFailure(ctx, kind, status, code, redact(details.message.slice(0, 1000)));
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/**
 * A thrown fetch / body-read error. `signal` is the one the call used: when it fired, its reason
 * says whether our deadline (TimeoutError) or the caller (anything else) cut the call.
 * `phase` separates a failed connect from a stream that broke after it started.
 */
export function failureFromFetchError(
  ctx: FailureContext,
  error: unknown,
  signal: AbortSignal | undefined,
  phase: 'connect' | 'body' = 'connect',
): ProviderError {
  if (error instanceof ProviderError) return error;
  const base = { providerId: ctx.providerId, modelId: ctx.modelId, cause: error };
  if (signal?.aborted) {
    if (isTimeout(signal.reason) || isTimeout(error)) {
      return new ProviderError(`${ctx.providerId} did not answer in time`, { ...base, kind: 'timeout' });
    }
    const why = signal.reason instanceof Error ? signal.reason.message : 'aborted';
    return new ProviderError(`${ctx.providerId} call aborted`, {
      ...base,
      kind: phase === 'body' ? 'stream_interrupted' : 'connection',
      detail: redact(why),
    });
  }
  if (isTimeout(error)) return new ProviderError(`${ctx.providerId} did not answer in time`, { ...base, kind: 'timeout' });
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = redact(cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
  // A system error code (ECONNRESET) is safe to show; free text stays in the log.
  const code = cause?.code && /^[A-Z][A-Z0-9_]{1,40}$/.test(cause.code) ? cause.code : undefined;
  const kind = phase === 'body' ? 'stream_interrupted' : 'connection';
  return new ProviderError(describeFailure(ctx.providerId, kind, undefined, code), { ...base, kind, detail, ...(code ? { upstreamCode: code } : {}) });
}

/** The upstream answered 2xx with something we cannot use. */
export function malformed(ctx: FailureContext, what: string, cause?: unknown): ProviderError {
  return new ProviderError(describeFailure(ctx.providerId, 'malformed_response'), {
    kind: 'malformed_response',
    providerId: ctx.providerId,
    modelId: ctx.modelId,
    detail: redact(what),
    cause,
  });
}

/** The request could not be encoded (JSON.stringify threw: too deep, a cycle): nothing was sent. */
export function unsendable(ctx: FailureContext, cause: unknown): ProviderError {
  return new ProviderError(describeFailure(ctx.providerId, 'unsendable_request'), {
    kind: 'unsendable_request',
    providerId: ctx.providerId,
    modelId: ctx.modelId,
    detail: cause instanceof Error ? cause.message : String(cause),
    cause,
  });
}
