// One HTTP call to a provider with the router's deadline semantics: `timeoutMs` bounds the whole
// call for JSON answers but only the wait for response headers for streams (a long answer that
// keeps flowing must not be cut), while the caller's signal can abort at any point.
import type { ProviderCallOptions } from '#core/chat/ports.ts';
import { followAbort } from './follow-abort.ts';
import { httpCall } from './http-call.ts';
import type { HttpAnswer } from './http-call.ts';
import { failureFromErrorPayload, failureFromFetchError, failureFromResponse, malformed, unsendable } from './http-failure.ts';
import type { FailureContext } from './http-failure.ts';

export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: unknown;
}

/** A deadline that can be disarmed once headers are in; `signal` also follows the caller's. */
export interface Deadline {
  signal: AbortSignal;
  disarm(): void;
}

export function startDeadline(options: ProviderCallOptions | undefined, defaultTimeoutMs?: number): Deadline {
  const controller = new AbortController();
  const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs;
  const timer =
    timeoutMs !== undefined
      ? setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs)
      : undefined;
  // Not AbortSignal.any: its result can outlive the call (see follow-abort.ts).
  followAbort(options?.signal, controller);
  return { signal: controller.signal, disarm: () => clearTimeout(timer) };
}

/**
 * Sends the request; resolves with a 2xx response, throws a ProviderError for anything else. `whole`:
 * the answer is read whole (a JSON call), over node:http (http-call.ts) instead of fetch.
 */
export async function sendUpstream(ctx: FailureContext, request: UpstreamRequest, signal: AbortSignal, whole: true): Promise<HttpAnswer>;
export async function sendUpstream(ctx: FailureContext, request: UpstreamRequest, signal: AbortSignal, whole?: false): Promise<Response>;
export async function sendUpstream(ctx: FailureContext, request: UpstreamRequest, signal: AbortSignal, whole = false): Promise<HttpAnswer> {
  // Encoded before the call, so a body that cannot be encoded is the request's fault, not a
  // connection failure counted against the provider's health.
  let body: string | undefined;
  try {
    body = request.body === undefined ? undefined : JSON.stringify(request.body);
  } catch (error) {
    throw unsendable(ctx, error);
  }
  let response: HttpAnswer;
  try {
    response = whole
      ? await httpCall({ url: request.url, method: request.method, headers: request.headers, body }, signal)
      : await fetch(request.url, { method: request.method, headers: request.headers, body, signal });
  } catch (error) {
    throw failureFromFetchError(ctx, error, signal, 'connect');
  }
  if (!response.ok) {
    let text = '';
    try {
      text = await response.text();
    } catch (error) {
      throw failureFromFetchError(ctx, error, signal, 'connect');
    }
    throw failureFromResponse(ctx, response.status, text, response.headers);
  }
  return response;
}

/**
 * Reads a 2xx JSON body. An `{"error": ...}` object in it is a failure too: several providers
 * answer 200 and put the error in the body.
 */
export async function readJson(ctx: FailureContext, response: HttpAnswer, signal: AbortSignal): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw failureFromFetchError(ctx, error, signal, 'connect');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw malformed(ctx, `body is not JSON: ${text.slice(0, 200)}`, error);
  }
  const failure = failureFromErrorPayload(ctx, payload, response.status === 200 ? undefined : response.status);
  if (failure) throw failure;
  return payload;
}

/** JSON call bounded as a whole by the deadline. */
export async function callJson(
  ctx: FailureContext,
  request: UpstreamRequest,
  options: ProviderCallOptions | undefined,
  defaultTimeoutMs?: number,
): Promise<unknown> {
  const deadline = startDeadline(options, defaultTimeoutMs);
  try {
    const response = await sendUpstream(ctx, request, deadline.signal, true);
    return await readJson(ctx, response, deadline.signal);
  } finally {
    deadline.disarm();
  }
}

/** Streaming call: the deadline covers the wait for headers only. */
export async function openStream(
  ctx: FailureContext,
  request: UpstreamRequest,
  options: ProviderCallOptions | undefined,
  defaultTimeoutMs?: number,
): Promise<{ body: ReadableStream<Uint8Array>; signal: AbortSignal }> {
  const deadline = startDeadline(options, defaultTimeoutMs);
  try {
    const response = await sendUpstream(ctx, request, deadline.signal);
    if (!response.body) throw malformed(ctx, 'stream response has no body');
    const type = response.headers.get('content-type') ?? '';
    // A JSON answer to a stream request is usually an error envelope sent with status 200.
    if (type.includes('application/json')) {
      await readJson(ctx, response, deadline.signal);
      throw malformed(ctx, 'expected an event stream, got a JSON body');
    }
    return { body: response.body, signal: deadline.signal };
  } finally {
    deadline.disarm();
  }
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
