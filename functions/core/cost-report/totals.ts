// Report totals: per tenant, model, key and day (every day of the range, zeros included), and the
// day x model and day x key grids the chart draws. Exact sums.
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

/** A key's totals; key ids are per tenant, so the row names both. */
export interface KeyTotalsRow extends TotalsRow {
  tenantId: string;
}

export interface CostReport {
  filter: ReportFilter;
  total: Totals;
  byTenant: TotalsRow[];
  byModel: TotalsRow[];
  byKey: KeyTotalsRow[];
  /** Every day from the first to the last of the range, days without calls included. */
  byDay: TotalsRow[];
  /** `day -> model -> cost units`, for the chart. */
  dayModel: Map<string, Map<string, bigint>>;
  /** `day -> key label (tenant/keyId) -> cost units`, for the chart. */
  dayKey: Map<string, Map<string, bigint>>;
}

/** How a key is labelled in charts and CSV: `acme/key_0123456789ab` (`-` for records without a key id). */
export const keyLabel = (tenantId: string, keyId: string): string => `${tenantId}/${keyId || '-'}`;

const DAY_MS = 86_400_000;

/** Every UTC day from `first` to `last`, both included (`YYYY-MM-DD`). */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`), end = Date.parse(`${last}T00:00:00Z`); t <= end; t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
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

function addTo(map: Map<string, Map<string, bigint>>, day: string, series: string, units: bigint): void {
  const inner = map.get(day) ?? new Map<string, bigint>();
  inner.set(series, (inner.get(series) ?? 0n) + units);
  map.set(day, inner);
}

/**
 * Totals of the calls that pass the filter; a call is counted once however often it appears. The day
 * axis runs from `filter.from` (else the first call's day) to `filter.to` (else the last call's day).
 */
export function buildReport(calls: readonly ReportCall[], filter: ReportFilter = {}): CostReport {
  const total = emptyTotals();
  const groups = { byTenant: new Map<string, Totals>(), byModel: new Map<string, Totals>(), byDay: new Map<string, Totals>() };
  const byKey = new Map<string, KeyTotalsRow>();
  const dayModel = new Map<string, Map<string, bigint>>();
  const dayKey = new Map<string, Map<string, bigint>>();
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
    const label = keyLabel(call.tenantId, call.keyId);
    let keyRow = byKey.get(label);
    if (!keyRow) byKey.set(label, (keyRow = { key: call.keyId, tenantId: call.tenantId, ...emptyTotals() }));
    add(keyRow, call);
    addTo(dayModel, call.day, call.modelId, call.costUnits);
    addTo(dayKey, call.day, label, call.costUnits);
  }
  const rows = (group: Map<string, Totals>) => [...group.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, t]) => ({ key, ...t }));
  const callDays = [...groups.byDay.keys()].sort();
  const first = filter.from ?? callDays[0];
  const last = filter.to ?? (callDays.length ? callDays[callDays.length - 1]! : filter.from);
  const days = first !== undefined && last !== undefined ? daysBetween(first, last) : [];
  return {
    filter, total,
    byTenant: rows(groups.byTenant), byModel: rows(groups.byModel),
    byKey: [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, row]) => row),
    byDay: days.map((day) => ({ key: day, ...(groups.byDay.get(day) ?? emptyTotals()) })),
    dayModel, dayKey,
  };
}
