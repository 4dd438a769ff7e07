import { describe, expect, it } from 'vitest';
import {
  applicableBudgets, budgetExceededMessage, BudgetExceededError, budgetPeriod, headroomFor, nearBudget, preferCheaper,
  reservationAmount, settlementDeltas,
} from '#core/budget/budget.ts';
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

  it('says which budget is exhausted and for which period', () => {
    expect(budgetExceededMessage('tenant', 'acme', '2026-11', 100)).toContain("tenant 'acme' ($100.00) for 2026-11");
    expect(budgetExceededMessage('key', 'key_abc', '2026-11', 0.005)).toContain("API key 'key_abc' ($0.005) for 2026-11");
    const error = new BudgetExceededError('tenant', 'acme', '2026-11', 1);
    expect(error.toBody().error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(error.status).toBe(429);
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
