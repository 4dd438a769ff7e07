// Budgets, pure: the period a call counts against, the reservation arithmetic, the over-budget error and
// the "near the budget, prefer cheaper models" rule. The DynamoDB adapter (budget-guard.ts) does the I/O.
import { roundUsd } from '../pricing/cost.ts';
import { RouterError } from '../shared/errors.ts';
import type { Candidate } from '../routing/types.ts';

/** A monthly USD budget, for a tenant or for one of its keys. */
export interface BudgetConfig {
  monthlyUsd: number;
  /** Share of the budget (0..1) from which routing should prefer cheaper models; unset = never. */
  preferCheaperAt?: number;
}

/** The budgets that apply to one caller; either may be missing. */
export interface ApplicableBudgets {
  tenant?: BudgetConfig;
  key?: BudgetConfig;
}

export type BudgetScope = 'tenant' | 'key';

/** The UTC calendar month of an epoch-ms time: `2026-11`. */
export function budgetPeriod(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 7);
}

/** The budgets a caller is held to: its own tenant budget, else the default one; plus its key's. */
export function applicableBudgets(
  tenant: BudgetConfig | undefined, key: BudgetConfig | undefined, defaultMonthlyUsd: number | undefined,
): ApplicableBudgets {
  const result: ApplicableBudgets = {};
  const tenantBudget = tenant ?? (defaultMonthlyUsd !== undefined ? { monthlyUsd: defaultMonthlyUsd } : undefined);
  if (tenantBudget) result.tenant = tenantBudget;
  if (key) result.key = key;
  return result;
}

/** The amount held for a call: its estimate, never negative, rounded like every stored amount. */
export function reservationAmount(estimatedUsd: number): number {
  return Number.isFinite(estimatedUsd) ? roundUsd(Math.max(0, estimatedUsd)) : 0;
}

/**
 * The most a counter may already hold (spent + reserved) for `amountUsd` more to fit in `limitUsd`;
 * negative when the amount alone is over the limit. DynamoDB conditions cannot add, so the adapter
 * compares the stored total with this value.
 */
export function headroomFor(limitUsd: number, amountUsd: number): number {
  return roundUsd(limitUsd - amountUsd);
}

/** What settling changes on a counter: the hold goes away, the actual cost is spent. */
export function settlementDeltas(reservedUsd: number, actualUsd: number): { reservedUsd: number; spentUsd: number; committedUsd: number } {
  const actual = reservationAmount(actualUsd);
  return { reservedUsd: -reservedUsd, spentUsd: actual, committedUsd: roundUsd(actual - reservedUsd) };
}

/** 429 `insufficient_quota`: a call would take a tenant or key over its monthly budget. */
export class BudgetExceededError extends RouterError {
  override name = 'BudgetExceededError';
  readonly scope: BudgetScope;
  readonly period: string;

  constructor(scope: BudgetScope, subject: string, period: string, limitUsd: number) {
    super(budgetExceededMessage(scope, subject, period, limitUsd), { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' });
    this.scope = scope;
    this.period = period;
  }
}

/** The 429 message: names the budget (tenant or key), its limit and the period. */
export function budgetExceededMessage(scope: BudgetScope, subject: string, period: string, limitUsd: number): string {
  const which = scope === 'tenant' ? `tenant '${subject}'` : `API key '${subject}'`;
  return `The monthly budget of ${which} ($${formatUsd(limitUsd)}) for ${period} is used up; this request would exceed it. `
    + 'Raise the budget or wait for the next period.';
}

/** USD for messages: cents when it is a whole number of cents, otherwise up to 6 decimals. */
export function formatUsd(usd: number): string {
  const cents = Math.round(usd * 100);
  if (Math.abs(cents / 100 - usd) < 1e-9) return (cents / 100).toFixed(2);
  return usd.toFixed(6).replace(/0+$/, '');
}

/** Spend against one budget, as the counters hold it. */
export interface BudgetUsage {
  spentUsd: number;
  reservedUsd: number;
  config: BudgetConfig;
}

/** True when the budget has a `preferCheaperAt` share and spent + reserved has reached it. */
export function nearBudget(usage: BudgetUsage): boolean {
  const at = usage.config.preferCheaperAt;
  if (at === undefined) return false;
  return usage.spentUsd + usage.reservedUsd >= at * usage.config.monthlyUsd;
}

/**
 * Near the budget, routing may prefer cheaper models: the same candidates, cheapest estimate first
 * (ties keep the planner's order). Unchanged when `near` is false. Pure; the caller decides when.
 */
export function preferCheaper(candidates: readonly Candidate[], near: boolean): Candidate[] {
  if (!near) return [...candidates];
  return candidates
    .map((candidate, index) => ({ candidate, index }))
    .sort((a, b) => a.candidate.estimatedCostUsd - b.candidate.estimatedCostUsd || a.index - b.index)
    .map(({ candidate }) => candidate);
}
