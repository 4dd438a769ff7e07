/** HTTP statuses the router answers with; a union, not `number`, so a typo cannot ship. */
export type RouterStatus = 400 | 401 | 403 | 404 | 405 | 413 | 415 | 429 | 499 | 500 | 502 | 503 | 504;

/** OpenAI error `type` values the router uses. */
export type OpenAiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'api_error'
  | 'server_error'
  | 'upstream_error'
  | 'timeout_error';

export interface RouterErrorOptions {
  status: RouterStatus;
  type: OpenAiErrorType;
  code?: string | null;
  param?: string | null;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** Root of every error the router turns into an OpenAI-shaped HTTP response. */
export class RouterError extends Error {
  override name = 'RouterError';
  readonly status: RouterStatus;
  readonly type: OpenAiErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly headers: Record<string, string>;

  constructor(message: string, options: RouterErrorOptions) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.type = options.type;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
  }

  /** The OpenAI error body: `{"error":{"message","type","param","code"}}`. */
  toBody(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** 400: the request body or a routing header is invalid. */
export class InvalidRequestError extends RouterError {
  override name = 'InvalidRequestError';
  constructor(message: string, param: string | null = null, code: string | null = 'invalid_request', cause?: unknown) {
    super(message, { status: 400, type: 'invalid_request_error', param, code, cause });
  }
}

/** 400: no model in the catalog satisfies the request's constraints. */
export class NoRouteError extends RouterError {
  override name = 'NoRouteError';
  /** Why models were excluded (constraint names such as `context_window` or `unavailable`). */
  readonly reasons: readonly string[];
  constructor(message: string, reasons: readonly string[] = []) {
    super(message, { status: 400, type: 'invalid_request_error', code: 'no_model_available', param: 'model' });
    this.reasons = reasons;
  }
}

/**
 * 503: models exist that could serve the request, but health (open breakers, unhealthy providers)
 * rules them all out right now. Retry-After says when the earliest one is tried again; SDKs retry it.
 */
export class ServiceUnavailableError extends RouterError {
  override name = 'ServiceUnavailableError';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message, { status: 503, type: 'server_error', code: 'service_unavailable', headers: { 'retry-after': String(retryAfterSeconds) } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** 429: the tenant's plan limit (requests or tokens) is reached; headers carry Retry-After and `x-ratelimit-*`. */
export class RateLimitError extends RouterError {
  override name = 'RateLimitError';
  constructor(message: string, headers: Record<string, string>, code = 'rate_limit_exceeded') {
    super(message, { status: 429, type: code === 'insufficient_quota' ? 'insufficient_quota' : 'rate_limit_error', code, headers });
  }
}

/** 401: missing or unknown API key. */
export class AuthenticationError extends RouterError {
  override name = 'AuthenticationError';
  constructor(message: string) {
    super(message, { status: 401, type: 'authentication_error', code: 'invalid_api_key' });
  }
}

/** 404: unknown model, route or path. */
export class NotFoundError extends RouterError {
  override name = 'NotFoundError';
  constructor(message: string, param: string | null = null, code = 'not_found') {
    super(message, { status: 404, type: 'invalid_request_error', param, code });
  }
}

/** 413: request body over the configured limit. */
export class PayloadTooLargeError extends RouterError {
  override name = 'PayloadTooLargeError';
  constructor(limitBytes: number) {
    super(`Request body is larger than the limit of ${limitBytes} bytes.`, {
      status: 413,
      type: 'invalid_request_error',
      code: 'request_too_large',
    });
  }
}

/** How a provider call failed; drives retry and failover decisions. */
export type ProviderFailureKind =
  | 'rate_limited'
  | 'server_error'
  | 'connection'
  | 'timeout'
  | 'context_length'
  | 'content_policy'
  | 'bad_request'
  | 'authentication'
  | 'malformed_response'
  | 'stream_interrupted'
  /** The request could not be encoded for the provider (serialisation): the request's fault, never sent. */
  | 'unsendable_request'
  /** The adapter itself failed (a bug or an untranslatable shape): nobody's health is at stake. */
  | 'adapter_error';

export interface ProviderErrorOptions {
  kind: ProviderFailureKind;
  providerId: string;
  modelId?: string;
  upstreamStatus?: number;
  retryAfterMs?: number;
  /** The provider's own error type or code (`invalid_api_key`), when it is code-shaped. Tenants may see it. */
  upstreamCode?: string;
  /** What the provider said, redacted; for operators' logs only, never for tenants. */
  detail?: string;
  cause?: unknown;
}

/**
 * A provider call failed; adapters throw this and only this. `message` is the router's own wording
 * (safe to show a tenant); the provider's words go in `detail`, which only logs carry.
 */
export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly kind: ProviderFailureKind;
  readonly providerId: string;
  readonly modelId: string | undefined;
  readonly upstreamStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly upstreamCode: string | undefined;
  readonly detail: string | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    this.providerId = options.providerId;
    this.modelId = options.modelId;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamCode = options.upstreamCode;
    this.detail = options.detail;
  }
}

/** Raised when the catalog file fails validation; lists every bad field with its path. */
export class CatalogError extends Error {
  override name = 'CatalogError';
  readonly issues: string[];
  constructor(issues: string[], cause?: unknown) {
    super(`Invalid model catalog:\n  - ${issues.join('\n  - ')}`, { cause });
    this.issues = issues;
  }
}
