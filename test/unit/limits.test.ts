// Rate-limit rules with plain values: the token bucket, the usage-plan gate, the tokens-per-minute
// limiter (with an in-memory counter standing in for the store) and OpenAI's header format.
import { describe, expect, it } from 'vitest';
import { PLAN_PRESETS, planFromItem, resolvePlan } from '#core/limits/plans.ts';
import type { TenantPlan } from '#core/limits/plans.ts';
import type { TokenWindowStore } from '#core/limits/ports.ts';
import { formatReset } from '#core/limits/rate-limit-headers.ts';
import { RequestGate } from '#core/limits/request-gate.ts';
import { takeFromBucket } from '#core/limits/token-bucket.ts';
import { settlingLedger, TokenLimiter } from '#core/limits/token-limiter.ts';
import { RateLimitError } from '#core/shared/errors.ts';
import type { CostRecord } from '#core/pricing/ports.ts';

const clockAt = (start: number) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
};
const plan = (limits: Partial<TenantPlan> = {}): TenantPlan => ({ name: 'custom', requestsPerSecond: 2, burst: 3, monthlyRequests: 100, tokensPerMinute: 1000, ...limits });
const plans = (byTenant: Record<string, TenantPlan>) => ({ planFor: async (id: string) => byTenant[id] });

class MemoryWindows implements TokenWindowStore {
  readonly counts = new Map<string, number>();
  async take(tenantId: string, windowStart: number, tokens: number, limit: number) {
    const key = `${tenantId}/${windowStart}`;
    const used = this.counts.get(key) ?? 0;
    if (used > limit - tokens) return { admitted: false, used };
    this.counts.set(key, used + tokens);
    return { admitted: true, used: used + tokens };
  }
  async adjust(tenantId: string, windowStart: number, delta: number) {
    const key = `${tenantId}/${windowStart}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + delta);
  }
}

describe('plans', () => {
  it('resolves presets with overrides and names a bad limit or plan', () => {
    expect(resolvePlan('free', { tokensPerMinute: 5 })).toEqual({ name: 'free', ...PLAN_PRESETS['free'], tokensPerMinute: 5 });
    expect(() => resolvePlan('platinum')).toThrow(/unknown plan 'platinum'/);
    expect(() => resolvePlan('custom', { requestsPerSecond: 1 })).toThrow(/burst/);
    expect(planFromItem({ plan: 'pro', ...PLAN_PRESETS['pro'] })?.name).toBe('pro');
    expect(planFromItem({ plan: 'broken', burst: 'x' })).toBeUndefined();
  });
});

describe('token bucket', () => {
  it('allows the burst at once, then the rate, and says when the next request fits', () => {
    let state;
    const verdicts = [];
    for (let i = 0; i < 4; i++) {
      const v = takeFromBucket(state, 0, 2, 3);
      state = v.state;
      verdicts.push(v);
    }
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
    expect(verdicts[3]!.retryAfterMs).toBe(500);
    expect(takeFromBucket(state, 500, 2, 3).allowed).toBe(true);
  });
});

describe('usage-plan gate', () => {
  it('keeps each tenant in its own bucket and quota; a tenant without a plan is not limited', async () => {
    const clock = clockAt(Date.UTC(2026, 10, 30, 23, 59, 59));
    const gate = new RequestGate({ plans: plans({ a: plan({ burst: 2, monthlyRequests: 3 }), b: plan() }), clock });
    const a = { tenantId: 'a', keyId: 'k' };
    const results = [await gate.check(a), await gate.check(a), await gate.check(a)];
    expect(results.map((r) => r.allowed)).toEqual([true, true, false]);
    expect(results[2]).toMatchObject({ code: 'rate_limit_exceeded', headers: { 'retry-after': '1', 'x-ratelimit-limit-requests': '2' } });
    expect((await gate.check({ tenantId: 'b', keyId: 'k' })).allowed).toBe(true);
    expect((await gate.check({ tenantId: 'nobody', keyId: 'k' })).allowed).toBe(true);
    clock.advance(1000);
    expect((await gate.check(a)).allowed).toBe(true); // refilled, and a new month began: its quota counter restarts
  });

  it('answers insufficient_quota when the month is spent', async () => {
    const clock = clockAt(Date.UTC(2026, 10, 10));
    const gate = new RequestGate({ plans: plans({ a: plan({ burst: 10, monthlyRequests: 2 }) }), clock });
    const a = { tenantId: 'a', keyId: 'k' };
    await gate.check(a);
    await gate.check(a);
    expect(await gate.check(a)).toMatchObject({ allowed: false, code: 'insufficient_quota' });
  });
});

describe('tokens per minute', () => {
  const principal = { tenantId: 't', keyId: 'k' };

  it('admits within the minute, refuses past it with Retry-After until the next minute, and settles to real usage', async () => {
    const clock = clockAt(60_000 * 1000 + 45_000);
    const windows = new MemoryWindows();
    const limiter = new TokenLimiter({ plans: plans({ t: plan({ tokensPerMinute: 1000 }) }), windows, clock });
    const first = await limiter.admit(principal, 'r1', 600);
    expect(first.headers['x-ratelimit-remaining-tokens']).toBe('400');
    const refused = await limiter.admit(principal, 'r2', 600).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitError);
    expect((refused as RateLimitError).headers).toMatchObject({ 'retry-after': '15', 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-reset-tokens': '15s' });
    await limiter.settle('r1', 100); // the call used far less than its estimate
    await expect(limiter.admit(principal, 'r3', 600)).resolves.toBeDefined();
  });

  it('never refuses forever a request larger than the whole minute', async () => {
    const limiter = new TokenLimiter({ plans: plans({ t: plan({ tokensPerMinute: 100 }) }), windows: new MemoryWindows(), clock: clockAt(0) });
    await expect(limiter.admit(principal, 'big', 5000)).resolves.toBeDefined();
  });

  it('settles through the ledger: a cache hit gives the whole estimate back', async () => {
    const windows = new MemoryWindows();
    const limiter = new TokenLimiter({ plans: plans({ t: plan() }), windows, clock: clockAt(0) });
    const recorded: CostRecord[] = [];
    const ledger = settlingLedger({ record: async (r) => void recorded.push(r) }, limiter);
    await limiter.admit(principal, 'hit', 300);
    await ledger.record({ requestId: 'hit', cacheHit: true, inputTokens: 50, outputTokens: 50 } as CostRecord);
    expect(recorded).toHaveLength(1);
    expect([...windows.counts.values()]).toEqual([0]);
  });
});

it('passes the ledger\'s answer through: a record that already existed is reported as such', async () => {
  const limiter = new TokenLimiter({ plans: plans({ t: plan() }), windows: new MemoryWindows(), clock: clockAt(0) });
  const seen = new Set<string>();
  const ledger = settlingLedger({ record: async (r) => { const fresh = !seen.has(r.requestId); seen.add(r.requestId); return fresh; } }, limiter);
  const record = { requestId: 'twice', cacheHit: false, inputTokens: 5, outputTokens: 5 } as CostRecord;
  await expect(ledger.record(record)).resolves.toBe(true);
  await expect(ledger.record(record)).resolves.toBe(false);
});

describe('reset format', () => {
  it.each([[250, '250ms'], [1000, '1s'], [59_001, '1m0s'], [360_000, '6m0s'], [7_380_000, '2h3m0s']])('%d ms -> %s', (ms, text) => {
    expect(formatReset(ms)).toBe(text);
  });
});
