import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  extractErrorDetails,
  failureFromErrorPayload,
  failureFromFetchError,
  failureFromResponse,
  parseRetryAfter,
} from '#adapters/providers/http-failure.ts';

const ctx = { providerId: 'p', modelId: 'm' };

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads seconds, milliseconds and HTTP-dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '120', 'retry-after': '5' }), now)).toBe(120);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }), now)).toBe(10_000);
  });
  it('never goes negative and ignores garbage', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });
});

describe('classifyFailure', () => {
  it('goes by status first', () => {
    expect(classifyFailure(429, { message: 'prompt is too long' })).toBe('rate_limited');
    expect(classifyFailure(529, undefined)).toBe('server_error');
    expect(classifyFailure(502, undefined)).toBe('server_error');
    expect(classifyFailure(403, undefined)).toBe('authentication');
    expect(classifyFailure(402, { message: 'Insufficient Balance' })).toBe('authentication');
    expect(classifyFailure(408, undefined)).toBe('timeout');
    expect(classifyFailure(422, { message: 'unknown field' })).toBe('bad_request');
  });
  it('tells context-length and content-policy 400s apart from other 400s', () => {
    expect(classifyFailure(400, { message: 'x', code: 'context_length_exceeded' })).toBe('context_length');
    expect(classifyFailure(400, { message: 'Output blocked by content filtering policy' })).toBe('content_policy');
    expect(classifyFailure(400, { message: 'x', code: 'content_filter' })).toBe('content_policy');
    expect(classifyFailure(400, { message: '系统检测到输入或生成内容可能包含不安全或敏感内容', code: '1301' })).toBe('content_policy');
    expect(classifyFailure(400, { message: 'temperature must be at most 2' })).toBe('bad_request');
  });
  it('uses Anthropic error type names and numeric codes when there is no status', () => {
    expect(classifyFailure(undefined, { message: 'Overloaded', type: 'overloaded_error' })).toBe('server_error');
    expect(classifyFailure(undefined, { message: 'slow', type: 'rate_limit_error' })).toBe('rate_limited');
    expect(classifyFailure(undefined, { message: 'bad', code: '401' })).toBe('authentication');
    expect(classifyFailure(undefined, { message: 'something odd' })).toBe('server_error');
  });
});

describe('error payloads', () => {
  it('extracts the dialects in use', () => {
    expect(extractErrorDetails({ error: { message: 'm', type: 't', code: 'c' } })).toEqual({ message: 'm', type: 't', code: 'c' });
    expect(extractErrorDetails({ type: 'error', error: { type: 'api_error', message: 'boom' } })).toMatchObject({ message: 'boom', type: 'api_error' });
    expect(extractErrorDetails([{ error: { code: 429, message: 'Resource exhausted', status: 'RESOURCE_EXHAUSTED' } }])).toMatchObject({ message: 'Resource exhausted', code: '429' });
    expect(extractErrorDetails({ choices: [] })).toBeUndefined();
  });
  it('finds no failure in a normal body and one in an error body', () => {
    expect(failureFromErrorPayload(ctx, { id: 'x', choices: [], error: null })).toBeUndefined();
    const failure = failureFromErrorPayload(ctx, { error: { message: 'quota', code: 429 } });
    expect(failure).toMatchObject({ kind: 'rate_limited', providerId: 'p', modelId: 'm' });
    expect(failureFromErrorPayload(ctx, [{ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }])?.kind).toBe('server_error');
  });
  it('keeps a plain-text reason, trimmed, and only keeps Retry-After for retryable kinds', () => {
    const e = failureFromResponse(ctx, 502, '  <html>\n Bad   Gateway </html>', new Headers({ 'retry-after': '1' }));
    expect(e.message).toBe('p failed on its side (HTTP 5xx)');
    expect(e.detail).toBe('<html> Bad Gateway </html>');
    expect(e.retryAfterMs).toBe(1000);
    expect(failureFromResponse(ctx, 400, '{"error":{"message":"nope"}}', new Headers({ 'retry-after': '1' })).retryAfterMs).toBeUndefined();
  });
});

describe('failureFromFetchError', () => {
  it('separates our deadline from the caller aborting and from network failures', () => {
    const timeout = AbortSignal.abort(new DOMException('late', 'TimeoutError'));
    expect(failureFromFetchError(ctx, timeout.reason, timeout).kind).toBe('timeout');
    const caller = AbortSignal.abort(new Error('client gone'));
    expect(failureFromFetchError(ctx, caller.reason, caller).kind).toBe('connection');
    expect(failureFromFetchError(ctx, caller.reason, caller, 'body').kind).toBe('stream_interrupted');
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const e = failureFromFetchError(ctx, refused, new AbortController().signal);
    expect(e.kind).toBe('connection');
    expect(e.message).toContain('ECONNREFUSED');
  });
});
