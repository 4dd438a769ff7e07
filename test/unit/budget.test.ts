import { describe, expect, it } from 'vitest';
import {
  affordableOutputTokens, applicableBudgets, budgetExceededMessage, holdAmount, BudgetExceededError, budgetPeriod, headroomFor, nearBudget, preferCheaper,
  reservationAmount, settlementDeltas,
} from '#core/budget/budget.ts';
import type { ResolvedModel } from '#core/catalog/catalog.ts';
import type { Candidate } from '#core/routing/types.ts';

describe('budget arithmetic', () => {
  it('counts a call against its UTC calendar month', () => {
    expect(budgetPeriod(Date.parse('2026-11-30T23:59:59.999Z'))).toBe('2026-11');
    expect(budgetPeriod(Date.parse('2026-12-01T00:00:00.000Z'))).toBe('2026-12');
  });

  it('uses the tenant budget, else the default, plus the key budget', () => {
    expect(applicableBudgets(undefined, undefined, undefined)).toEqual({});
    expect(applicableBudgets(undefined, undefined, 50)).toEqual({ tenant: { monthlyUsd: 50 } });
    expect(applicableBudgets({ monthlyUsd: 10 }, { monthlyUsd: 1 }, 50)).toEqual({ tenant: { monthlyUsd: 10 }, key: { monthlyUsd: 1 } });
  });

  it('holds the estimate rounded to 1e-10 and never a negative amount', () => {
    expect(reservationAmount(0.1 + 0.2)).toBe(0.3);
    expect(reservationAmount(-1)).toBe(0);
    expect(reservationAmount(Number.NaN)).toBe(0);
    expect(headroomFor(1, 0.3)).toBe(0.7);
    expect(headroomFor(0.1, 0.3)).toBeLessThan(0);
  });

  it('settles by dropping the hold and spending the actual cost', () => {
    expect(settlementDeltas(0.5, 0.2)).toEqual({ reservedUsd: -0.5, spentUsd: 0.2, committedUsd: -0.3 });
  });

  it('says which budget refused, for which period, with spent, held and remaining amounts', () => {
    const refusal = { scope: 'tenant' as const, subject: 'acme', period: '2026-11', limitUsd: 100, spentUsd: 97.5, heldUsd: 2, typicalUsd: 0.75 };
    expect(budgetExceededMessage(refusal)).toContain("tenant 'acme' for 2026-11 is $100.00: $97.50 spent, $2.00 held by calls in flight, $0.50 remaining");
    expect(budgetExceededMessage(refusal)).toContain('costs $0.75');
    expect(budgetExceededMessage({ ...refusal, scope: 'key', subject: 'key_abc', limitUsd: 0.005, spentUsd: 0.006, heldUsd: 0 }))
      .toContain("API key 'key_abc' for 2026-11 is $0.005: $0.006 spent, $0.00 held by calls in flight, $0.00 remaining");
    const error = new BudgetExceededError({ ...refusal, limitUsd: 1 });
    expect(error.toBody().error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(error.status).toBe(429);
  });
});

describe('how much a call holds', () => {
  it('holds the worst case while it fits, uncapped', () => {
    expect(holdAmount({ worstUsd: 0.4, typicalUsd: 0.01 }, 0.4)).toEqual({ amountUsd: 0.4, capped: false });
  });

  it('near the limit holds a quarter of the free budget, at least a typical answer, at most what is free', () => {
    expect(holdAmount({ worstUsd: 0.5, typicalUsd: 0.01 }, 0.2)).toEqual({ amountUsd: 0.05, capped: true });
    expect(holdAmount({ worstUsd: 0.5, typicalUsd: 0.03 }, 0.04)).toEqual({ amountUsd: 0.03, capped: true });
    expect(holdAmount({ worstUsd: 0.5, typicalUsd: 0.03 }, 0.03)).toEqual({ amountUsd: 0.03, capped: true });
  });

  it('refuses only when the free budget cannot pay a typical answer', () => {
    expect(holdAmount({ worstUsd: 0.5, typicalUsd: 0.03 }, 0.0299)).toBeUndefined();
  });

  it('caps output at what the hold pays for after the prompt', () => {
    const model = { priceUsd: { input: 1, output: 4, cachedInput: 0.5 } } as unknown as ResolvedModel;
    // 1,000 prompt tokens cost $0.001; $0.003 left at $4 / 1M output tokens pays 750 tokens.
    expect(affordableOutputTokens(model, 1000, 0.004)).toBe(750);
    expect(affordableOutputTokens(model, 1000, 0.0005)).toBe(0);
  });
});

describe('prefer cheaper models near the budget', () => {
  const candidate = (id: string, cost: number) => ({ model: { id }, score: 1, estimatedCostUsd: cost }) as unknown as Candidate;
  const plan = [candidate('a', 3), candidate('b', 1), candidate('c', 2), candidate('d', 1)];

  it('is near only with a preferCheaperAt share that spend has reached', () => {
    expect(nearBudget({ spentUsd: 99, reservedUsd: 0, config: { monthlyUsd: 100 } })).toBe(false);
    expect(nearBudget({ spentUsd: 70, reservedUsd: 10, config: { monthlyUsd: 100, preferCheaperAt: 0.8 } })).toBe(true);
    expect(nearBudget({ spentUsd: 70, reservedUsd: 9, config: { monthlyUsd: 100, preferCheaperAt: 0.8 } })).toBe(false);
  });

  it('reorders cheapest first, stable on ties, and leaves the plan alone otherwise', () => {
    expect(preferCheaper(plan, true).map((c) => c.model.id)).toEqual(['b', 'd', 'c', 'a']);
    expect(preferCheaper(plan, false).map((c) => c.model.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});
