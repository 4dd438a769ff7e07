// Budgets, pure: the period a call counts against, the reservation arithmetic, the over-budget error and
// the "near the budget, prefer cheaper models" rule. The DynamoDB adapter (budget-guard.ts) does the I/O.
import type { ResolvedModel } from '../catalog/catalog.ts';
import { estimateCostUsd, roundUsd } from '../pricing/cost.ts';
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

/** The state of one budget when a call was refused, for a truthful 429. */
export interface BudgetRefusal {
  scope: BudgetScope;
  subject: string;
  period: string;
  limitUsd: number;
  spentUsd: number;
  heldUsd: number;
  /** What a typical answer to the refused request costs on its cheapest eligible model. */
  typicalUsd: number;
}

/** 429 `insufficient_quota`: the free part of a tenant or key budget cannot pay a typical answer. */
export class BudgetExceededError extends RouterError {
  override name = 'BudgetExceededError';
  readonly scope: BudgetScope;
  readonly period: string;
  readonly refusal: BudgetRefusal;

  constructor(refusal: BudgetRefusal) {
    super(budgetExceededMessage(refusal), { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' });
    this.scope = refusal.scope;
    this.period = refusal.period;
    this.refusal = refusal;
  }
}

/** The 429 message: the budget, what is spent, what calls in flight hold, what remains, and why that is too little. */
export function budgetExceededMessage(r: BudgetRefusal): string {
  const which = r.scope === 'tenant' ? `tenant '${r.subject}'` : `API key '${r.subject}'`;
  const remaining = Math.max(0, roundUsd(r.limitUsd - r.spentUsd - r.heldUsd));
  return `The monthly budget of ${which} for ${r.period} is $${formatUsd(r.limitUsd)}: $${formatUsd(r.spentUsd)} spent, `
    + `$${formatUsd(r.heldUsd)} held by calls in flight, $${formatUsd(remaining)} remaining. `
    + `A typical answer to this request costs $${formatUsd(r.typicalUsd)} on the cheapest eligible model, more than remains. `
    + 'Held money returns as those calls finish; otherwise raise the budget or wait for the next period.';
}

/**
 * What a call asks the budget to hold. `worstUsd`: the most it can cost with no cap (the request's
 * max_tokens, else the model's max output, on the dearest candidate). `typicalUsd`: a typical answer
 * (max_tokens, else the catalog's expected output) on the cheapest candidate; less than that and the
 * call is refused.
 */
export interface HoldRequest {
  worstUsd: number;
  typicalUsd: number;
}

/** Share of the free budget a capped call may hold, so calls in flight near the limit leave room for others. */
export const CAPPED_HOLD_SHARE = 0.25;

/**
 * How much to hold given the budget's free headroom (limit - spent - held). The worst case when it
 * fits (no cap); otherwise a share of the headroom, at least a typical answer and never more than the
 * headroom (the call's max_tokens is then capped to what the hold pays for). Undefined: refuse.
 */
export function holdAmount(request: HoldRequest, freeUsd: number): { amountUsd: number; capped: boolean } | undefined {
  const worst = reservationAmount(request.worstUsd);
  const typical = Math.min(reservationAmount(request.typicalUsd), worst);
  if (worst <= freeUsd) return { amountUsd: worst, capped: false };
  if (typical > freeUsd) return undefined;
  const amountUsd = roundUsd(Math.min(freeUsd, Math.max(typical, freeUsd * CAPPED_HOLD_SHARE)));
  return { amountUsd, capped: true };
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

/** Output tokens a hold of `holdUsd` pays for on `model` once the prompt is paid; 0 when it cannot pay the prompt. */
export function affordableOutputTokens(model: ResolvedModel, promptTokens: number, holdUsd: number): number {
  const left = holdUsd - estimateCostUsd(model, promptTokens, 0);
  if (left <= 0) return 0;
  if (model.priceUsd.output <= 0) return Number.MAX_SAFE_INTEGER;
  return Math.floor((left * 1_000_000) / model.priceUsd.output);
}

/**
 * What a call asks the budget to hold (see HoldRequest): the worst case is the request's max_tokens,
 * else each model's max output, on the dearest candidate; typical is the planner's estimate (max_tokens,
 * else the catalog's expected output) on the cheapest one.
 */
export function holdRequestFor(candidates: readonly Candidate[], promptTokens: number, requestedMaxTokens: number | undefined): HoldRequest {
  const worstUsd = Math.max(0, ...candidates.map((c) => estimateCostUsd(c.model, promptTokens, requestedMaxTokens ?? c.model.maxOutputTokens)));
  const typicalUsd = Math.min(...candidates.map((c) => c.estimatedCostUsd));
  return { worstUsd, typicalUsd: Number.isFinite(typicalUsd) ? typicalUsd : worstUsd };
}

/** A fallback plan as routing hands it over: ordered candidates, grouped into slots, and a label. */
export interface SlottedCandidates {
  candidates: Candidate[];
  slots: ResolvedModel[][];
  strategyLabel: string;
}

/**
 * The plan reordered cheapest first (by each slot's cheapest estimate; ties keep the planner's
 * order), labelled `<strategy>+prefer-cheaper` so the decision shows in the header and the cost record.
 */
export function preferCheaperPlan<P extends SlottedCandidates>(plan: P): P {
  const cost = new Map(plan.candidates.map((c) => [c.model.id, c.estimatedCostUsd]));
  const slotCost = (slot: ResolvedModel[]): number => Math.min(...slot.map((m) => cost.get(m.id) ?? Number.POSITIVE_INFINITY));
  const slots = plan.slots
    .map((slot, index) => ({ slot, index, cost: slotCost(slot) }))
    .sort((a, b) => a.cost - b.cost || a.index - b.index)
    .map(({ slot }) => slot);
  return { ...plan, candidates: preferCheaper(plan.candidates, true), slots, strategyLabel: `${plan.strategyLabel}+prefer-cheaper` };
}
