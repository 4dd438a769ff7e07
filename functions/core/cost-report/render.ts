// The report as a text table, CSV (one row per group and key) or JSON.
import { usdRounded, usdText } from './money.ts';
import { keyLabel } from './totals.ts';
import type { CostReport, KeyTotalsRow, Totals, TotalsRow } from './totals.ts';

export type ReportFormat = 'table' | 'csv' | 'json';

const GROUPS = [['tenant', 'byTenant'], ['model', 'byModel'], ['key', 'byKey'], ['day', 'byDay']] as const;
const COLUMNS = ['calls', 'cacheHits', 'inputTokens', 'outputTokens', 'cachedInputTokens', 'reasoningTokens', 'costUsd', 'savedUsd'] as const;

function cells(t: Totals, money: (units: bigint) => string): string[] {
  return [t.calls, t.cacheHits, t.inputTokens, t.outputTokens, t.cachedInputTokens, t.reasoningTokens].map(String)
    .concat(money(t.costUnits), money(t.savedUnits));
}

export function renderReport(report: CostReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(reportJson(report), null, 2)}\n`;
  if (format === 'csv') return renderCsv(report);
  return renderTable(report);
}

/** Plain data: money as exact decimal strings (`costUsd`) so nothing is lost to floating point. */
export function reportJson(report: CostReport): Record<string, unknown> {
  const totals = (t: Totals) => ({
    calls: t.calls, cacheHits: t.cacheHits, inputTokens: t.inputTokens, outputTokens: t.outputTokens,
    cachedInputTokens: t.cachedInputTokens, reasoningTokens: t.reasoningTokens, costUsd: usdText(t.costUnits), savedUsd: usdText(t.savedUnits),
  });
  const rows = (list: TotalsRow[], name: string) => list.map((r) => ({ [name]: r.key, ...totals(r) }));
  return {
    filter: report.filter,
    total: totals(report.total),
    byTenant: rows(report.byTenant, 'tenant'),
    byModel: rows(report.byModel, 'model'),
    byKey: report.byKey.map((r) => ({ tenant: r.tenantId, key: r.key, ...totals(r) })),
    byDay: rows(report.byDay, 'day'),
  };
}

/** A key row is labelled with its tenant (`acme/key_…`); other rows by their key. */
const rowLabel = (row: TotalsRow): string => ('tenantId' in row ? keyLabel((row as KeyTotalsRow).tenantId, row.key) : row.key);

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) || /^[=+\-@]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function renderCsv(report: CostReport): string {
  const lines = [['group', 'key', ...COLUMNS].join(',')];
  for (const [name, field] of GROUPS) {
    for (const row of report[field]) lines.push([name, rowLabel(row), ...cells(row, usdText)].map(csvCell).join(','));
  }
  lines.push(['total', '', ...cells(report.total, usdText)].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

function renderTable(report: CostReport): string {
  const money = (units: bigint) => usdRounded(units, 6);
  const header = ['', 'calls', 'hits', 'input', 'output', 'cached', 'reasoning', 'cost USD', 'saved USD'];
  const sections: string[] = [];
  for (const [name, field] of GROUPS) {
    const rows = report[field].map((r) => [rowLabel(r), ...cells(r, money)]);
    rows.push(['total', ...cells(report.total, money)]);
    sections.push(`By ${name}\n${alignRows([[name, ...header.slice(1)], ...rows])}`);
  }
  return `${sections.join('\n\n')}\n`;
}

function alignRows(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1, -1).map(line), rule, line(rows[rows.length - 1]!)].join('\n');
}
