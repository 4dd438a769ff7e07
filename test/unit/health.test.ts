import { describe, expect, it } from 'vitest';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { closedBreaker, defaultBreakerSettings, recordFailure, recordSuccess } from '#core/health/circuit-breaker.ts';
import type { BreakerState } from '#core/health/circuit-breaker.ts';
import { applyProbe, providerAlarming, routingContextFrom } from '#core/health/provider-health.ts';
import type { ProbeResult, ProviderHealth } from '#core/health/provider-health.ts';

const T0 = 1_700_000_000_000;
const ok = (latencyMs = 100): ProbeResult => ({ ok: true, latencyMs });
const bad: ProbeResult = { ok: false, latencyMs: 5000, kind: 'timeout', error: 'p did not answer in time' };

function run(probes: ProbeResult[], start?: ProviderHealth): ProviderHealth[] {
  const out: ProviderHealth[] = [];
  let record = start;
  probes.forEach((probe, i) => {
    record = applyProbe(record, 'p', probe, T0 + i * 60_000);
    out.push(record);
  });
  return out;
}

const model = (id: string, provider: string, latencyMs = 1500) => ({
  id, provider, upstreamId: id, latencyMs,
  pricing: { currency: 'USD', inputPerMTok: 1, outputPerMTok: 2 },
  contextWindow: 100_000, maxOutputTokens: 8000, quality: { overall: 0.8 },
});
const catalog = parseCatalog({
  version: 1,
  providers: [
    { id: 'a', kind: 'openai-compatible', baseUrl: 'http://a.invalid/v1' },
    { id: 'b', kind: 'anthropic', baseUrl: 'http://b.invalid' },
  ],
  models: [model('a-1', 'a'), model('a-2', 'a'), model('b-1', 'b', 500), model('b-2', 'b', 500)],
});

describe('applyProbe', () => {
  it('a first successful probe makes a healthy record with the latency', () => {
    const [first] = run([ok(120)]);
    expect(first).toEqual({ providerId: 'p', status: 'healthy', latencyMs: 120, consecutiveSuccesses: 1, consecutiveFailures: 0, checkedAt: T0 });
  });

  it('is degraded after 1 and 2 failed probes and unhealthy after 3', () => {
    const records = run([ok(), bad, bad, bad]);
    expect(records.map((r) => r.status)).toEqual(['healthy', 'degraded', 'degraded', 'unhealthy']);
    expect(records[3]).toMatchObject({ consecutiveFailures: 3, consecutiveSuccesses: 0, lastError: 'p did not answer in time' });
  });

  it('a success before the third failure resets the count', () => {
    expect(run([bad, bad, ok(), bad, bad]).map((r) => r.status)).toEqual(['degraded', 'degraded', 'healthy', 'degraded', 'degraded']);
  });

  it('stays unhealthy after one success and is healthy again after two', () => {
    const records = run([bad, bad, bad, ok(), ok()]);
    expect(records.map((r) => r.status)).toEqual(['degraded', 'degraded', 'unhealthy', 'unhealthy', 'healthy']);
    expect(records[4]).toMatchObject({ consecutiveSuccesses: 2, consecutiveFailures: 0 });
  });

  it('a failure while recovering starts over', () => {
    expect(run([bad, bad, bad, ok(), bad, ok(), ok()]).map((r) => r.status)).toEqual([
      'degraded', 'degraded', 'unhealthy', 'unhealthy', 'unhealthy', 'unhealthy', 'healthy',
    ]);
  });

  it('keeps an EWMA of successful probe latency', () => {
    const records = run([ok(100), ok(200), bad, ok(200)]);
    expect(records.map((r) => r.latencyMs)).toEqual([100, 130, 130, 151]);
  });

  it('a skipped probe changes nothing but the check time', () => {
    const before = run([bad])[0]!;
    const after = applyProbe(before, 'p', { ok: true, skipped: true, latencyMs: 0 }, T0 + 1);
    expect(after).toEqual({ ...before, checkedAt: T0 + 1 });
    expect(applyProbe(undefined, 'p', { ok: true, skipped: true, latencyMs: 0 }, T0).status).toBe('healthy');
  });
});

describe('routingContextFrom', () => {
  const healthy = (providerId: string, latencyMs?: number): ProviderHealth => ({
    providerId, status: 'healthy', consecutiveFailures: 0, consecutiveSuccesses: 3, checkedAt: T0, ...(latencyMs === undefined ? {} : { latencyMs }),
  });
  const open = (): BreakerState => {
    let state = closedBreaker(T0);
    for (let i = 0; i < 3; i++) state = recordFailure(state, T0 + i, defaultBreakerSettings, 'timeout');
    return state;
  };

  it('is empty when everything is healthy and closed', () => {
    const ctx = routingContextFrom([healthy('a'), healthy('b')], new Map(), catalog, T0);
    expect(ctx.unavailable?.size).toBe(0);
    expect(ctx.observedLatencyMs?.size).toBe(0);
  });

  it('marks every model of an unhealthy provider unavailable with the reason', () => {
    const sick: ProviderHealth = { ...healthy('a'), status: 'unhealthy', lastError: 'a connection failed: ECONNREFUSED' };
    const ctx = routingContextFrom([sick, healthy('b')], new Map(), catalog, T0);
    expect([...ctx.unavailable!.keys()].sort()).toEqual(['a-1', 'a-2']);
    expect(ctx.unavailable!.get('a-1')).toBe('provider a unhealthy: a connection failed: ECONNREFUSED');
  });

  it('degraded providers stay routable', () => {
    const ctx = routingContextFrom([{ ...healthy('a'), status: 'degraded' }], new Map(), catalog, T0);
    expect(ctx.unavailable?.size).toBe(0);
  });

  it('marks a model with an open breaker unavailable until the cooldown ends', () => {
    const breakers = new Map([['b-1', open()]]);
    const during = routingContextFrom([], breakers, catalog, T0 + 10_000);
    expect([...during.unavailable!.keys()]).toEqual(['b-1']);
    expect(during.unavailable!.get('b-1')).toMatch(/^circuit open \(timeout\), retry in 2\d s$/);
    const after = routingContextFrom([], breakers, catalog, T0 + 2 + defaultBreakerSettings.cooldownMs);
    expect(after.unavailable!.size).toBe(0);
  });

  it('prefers call latency, else a probe latency above the catalog figure', () => {
    const breakers = new Map([['a-1', recordSuccess(closedBreaker(T0), T0, defaultBreakerSettings, 2345)]]);
    const ctx = routingContextFrom([healthy('a', 3000), healthy('b', 200)], breakers, catalog, T0);
    expect(ctx.observedLatencyMs?.get('a-1')).toBe(2345);
    // a-2: no calls, probe (3000) above the catalog's 1500.
    expect(ctx.observedLatencyMs?.get('a-2')).toBe(3000);
    // b-*: probe (200) below the catalog's 500, so the catalog figure stands.
    expect(ctx.observedLatencyMs?.has('b-1')).toBe(false);
  });
});

describe('providerAlarming', () => {
  const record = applyProbe(undefined, 'a', ok(), T0);
  it('is set by a failed probe, an unhealthy record or an open breaker of one of its models', () => {
    expect(providerAlarming(record, ok(), new Map(), catalog, T0)).toBe(false);
    expect(providerAlarming(record, bad, new Map(), catalog, T0)).toBe(true);
    expect(providerAlarming({ ...record, status: 'unhealthy' }, ok(), new Map(), catalog, T0)).toBe(true);
    let breaker = closedBreaker(T0);
    for (let i = 0; i < 3; i++) breaker = recordFailure(breaker, T0, defaultBreakerSettings, 'server_error');
    expect(providerAlarming(record, ok(), new Map([['a-2', breaker]]), catalog, T0 + 1)).toBe(true);
    expect(providerAlarming(record, ok(), new Map([['b-1', breaker]]), catalog, T0 + 1)).toBe(false);
  });
});
