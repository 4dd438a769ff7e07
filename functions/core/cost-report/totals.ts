// Report totals: per tenant, per model, per day, and the day x model grid the chart draws. Exact sums.
import type { ReportCall } from './calls.ts';

export interface ReportFilter {
  /** Inclusive `YYYY-MM-DD` bounds (UTC days). */
  from?: string;
  to?: string;
  tenantId?: string;
}

export interface Totals {
  calls: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  costUnits: bigint;
  savedUnits: bigint;
}

export interface TotalsRow extends Totals {
  key: string;
}

export interface CostReport {
  filter: ReportFilter;
  total: Totals;
  byTenant: TotalsRow[];
  byModel: TotalsRow[];
  byDay: TotalsRow[];
  /** `day -> model -> cost units`, for the chart. */
  dayModel: Map<string, Map<string, bigint>>;
}

export function emptyTotals(): Totals {
  return { calls: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, costUnits: 0n, savedUnits: 0n };
}

function add(totals: Totals, call: ReportCall): void {
  totals.calls++;
  if (call.cacheHit) totals.cacheHits++;
  totals.inputTokens += call.inputTokens;
  totals.outputTokens += call.outputTokens;
  totals.cachedInputTokens += call.cachedInputTokens;
  totals.reasoningTokens += call.reasoningTokens;
  totals.costUnits += call.costUnits;
  totals.savedUnits += call.savedUnits;
}

export function matchesFilter(call: ReportCall, filter: ReportFilter): boolean {
  if (filter.tenantId !== undefined && call.tenantId !== filter.tenantId) return false;
  if (filter.from !== undefined && call.day < filter.from) return false;
  if (filter.to !== undefined && call.day > filter.to) return false;
  return true;
}

/** Totals of the calls that pass the filter; a call is counted once however often it appears. */
export function buildReport(calls: readonly ReportCall[], filter: ReportFilter = {}): CostReport {
  const total = emptyTotals();
  const groups = { byTenant: new Map<string, Totals>(), byModel: new Map<string, Totals>(), byDay: new Map<string, Totals>() };
  const dayModel = new Map<string, Map<string, bigint>>();
  const seen = new Set<string>();
  for (const call of calls) {
    if (!matchesFilter(call, filter)) continue;
    const identity = `${call.tenantId}\u0000${call.requestId}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    add(total, call);
    for (const [group, key] of [[groups.byTenant, call.tenantId], [groups.byModel, call.modelId], [groups.byDay, call.day]] as const) {
      let totals = group.get(key);
      if (!totals) group.set(key, (totals = emptyTotals()));
      add(totals, call);
    }
    const models = dayModel.get(call.day) ?? new Map<string, bigint>();
    models.set(call.modelId, (models.get(call.modelId) ?? 0n) + call.costUnits);
    dayModel.set(call.day, models);
  }
  const rows = (group: Map<string, Totals>) => [...group.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, t]) => ({ key, ...t }));
  return { filter, total, byTenant: rows(groups.byTenant), byModel: rows(groups.byModel), byDay: rows(groups.byDay), dayModel };
}
