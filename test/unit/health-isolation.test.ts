// What counts against a breaker, and what a caller hears when health leaves nothing routable.
import { describe, expect, it } from 'vitest';
import { closedBreaker, countsAgainstHealth, recordFailure } from '#core/health/circuit-breaker.ts';
import { routingContextFrom } from '#core/health/provider-health.ts';
import { toAttemptFailure } from '#core/failover/attempt-failure.ts';
import { decideAfterFailure } from '#core/failover/retry-policy.ts';
import { planSlots } from '#core/routing/plan-slots.ts';
import { unroutableError } from '#core/routing/unroutable.ts';
import { NoRouteError, ProviderError, ServiceUnavailableError } from '#core/shared/errors.ts';
import type { ProviderFailureKind } from '#core/shared/errors.ts';
import { catalogOf, modelEntry } from './routing-fixtures.ts';

describe('what counts against a breaker', () => {
  it.each<[ProviderFailureKind, boolean]>([
    ['server_error', true], ['rate_limited', true], ['timeout', true], ['connection', true], ['stream_interrupted', true], ['malformed_response', true],
    ['bad_request', false], ['context_length', false], ['content_policy', false], ['authentication', false],
    ['unsendable_request', false], ['adapter_error', false],
  ])('%s counts: %s', (kind, counts) => {
    expect(countsAgainstHealth(kind)).toBe(counts);
    const after = [1, 2, 3, 4, 5].reduce((state, i) => recordFailure(state, i, undefined, kind), closedBreaker(0));
    expect(after.status).toBe(counts ? 'open' : 'closed');
  });

  it('treats whatever an adapter throws that is not a provider failure as its own, uncounted kind', () => {
    const failure = toAttemptFailure(new RangeError('Maximum call stack size exceeded'), 'm', 'p');
    expect(failure.kind).toBe('adapter_error');
    expect(countsAgainstHealth(failure.kind)).toBe(false);
    expect(failure.message).not.toContain('Maximum call stack');
    expect(failure.detail).toContain('Maximum call stack');
  });

  it('stops at a request that cannot be encoded: another model would fail it the same way', () => {
    const failure = toAttemptFailure(new ProviderError('p was not called', { kind: 'unsendable_request', providerId: 'p' }), 'm', 'p');
    expect(decideAfterFailure(failure, { retries: 0, remainingMs: 10_000, contextWindow: 1000, random: () => 0.5 }).action).toBe('stop');
  });
});

describe('nothing routable', () => {
  const catalog = catalogOf([modelEntry('a'), modelEntry('b')]);
  const request = { model: 'auto', messages: [{ role: 'user' as const, content: 'hi' }] };
  const open = (openedAt: number) => ({ ...closedBreaker(openedAt), status: 'open' as const, openedAt });

  it('because of health: 503 service_unavailable with Retry-After until the earliest breaker half-opens', () => {
    const now = 100_000;
    const context = routingContextFrom([], new Map([['a', open(now - 10_000)], ['b', open(now - 25_000)]]), catalog, now);
    const plan = planSlots(catalog, request, {}, context);
    expect(plan.candidates).toHaveLength(0);
    const error = unroutableError(catalog, request, {}, context, plan, now);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.status).toBe(503);
    expect(error.code).toBe('service_unavailable');
    expect(error.headers['retry-after']).toBe('5'); // b half-opens 30 s after it opened, 5 s from now
  });

  it('because of the request: still a 400 that names the constraint, even when breakers are open too', () => {
    const now = 100_000;
    const context = routingContextFrom([], new Map([['a', open(now)]]), catalog, now);
    const huge = { ...request, max_tokens: 10_000_000 };
    const plan = planSlots(catalog, huge, {}, context);
    const error = unroutableError(catalog, huge, {}, context, plan, now);
    expect(error).toBeInstanceOf(NoRouteError);
    expect(error.status).toBe(400);
  });
});
