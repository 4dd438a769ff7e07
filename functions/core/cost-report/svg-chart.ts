// Spend per day as a stacked bar chart in hand-written SVG (no dependency), made to be read at a
// glance: a title that says what and for whom, the period and its totals under it, a continuous day
// axis (days without calls keep their place), dollar ticks on a labelled axis, and a legend with each
// series' total and share. Stacked by model or by API key.
import { usdFromUnits, usdRounded } from './money.ts';
import type { CostReport } from './totals.ts';

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];
const OTHER_COLOR = '#bab0ac';
/** Series beyond this many are drawn together as "other", so the legend stays readable. */
const MAX_SERIES = PALETTE.length;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export type ChartBreakdown = 'model' | 'key';

export interface ChartOptions {
  by?: ChartBreakdown;
  /** Who the report covers, for the title (e.g. "tenant acme"); default from the report's filter. */
  scope?: string;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A "nice" axis maximum: 1, 2 or 5 times a power of ten, at least `value`. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Money for people: cents from a cent up, six decimals below it (a single LLM call often costs less). */
export function moneyLabel(units: bigint): string {
  const usd = usdFromUnits(units);
  return `$${usdRounded(units, usd >= 0.01 || usd === 0 ? 2 : 6)}`;
}

/** Tick labels with just enough decimals to tell neighbouring ticks apart. */
function tickLabel(usd: number, step: number): string {
  const decimals = Math.min(6, Math.max(2, Math.ceil(-Math.log10(step))));
  return `$${usd.toFixed(decimals)}`;
}

/** `Nov 3`; the first label of the axis and the 1st of a month carry the month. */
function dayLabel(day: string, withMonth: boolean): string {
  const month = MONTHS[Number(day.slice(5, 7)) - 1]!;
  const date = String(Number(day.slice(8, 10)));
  return withMonth ? `${month} ${date}` : date;
}

interface Series {
  name: string;
  color: string;
  units: bigint;
  members: Set<string>;
}

/** Series ordered by spend, largest first; the tail beyond MAX_SERIES is merged into "other". */
function seriesOf(grid: Map<string, Map<string, bigint>>): Series[] {
  const totals = new Map<string, bigint>();
  for (const perDay of grid.values()) for (const [name, units] of perDay) totals.set(name, (totals.get(name) ?? 0n) + units);
  const ranked = [...totals.entries()].sort(([an, a], [bn, b]) => (a === b ? an.localeCompare(bn) : a > b ? -1 : 1));
  const kept = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const series: Series[] = kept.map(([name, units], i) => ({ name, color: PALETTE[i]!, units, members: new Set([name]) }));
  const rest = ranked.slice(kept.length);
  if (rest.length) {
    series.push({ name: `other (${rest.length})`, color: OTHER_COLOR, units: rest.reduce((a, [, u]) => a + u, 0n), members: new Set(rest.map(([n]) => n)) });
  }
  return series;
}

export function renderSpendChart(report: CostReport, options: ChartOptions = {}): string {
  const by = options.by ?? 'model';
  const grid = by === 'key' ? report.dayKey : report.dayModel;
  const days = report.byDay.map((d) => d.key);
  const series = seriesOf(grid);
  const dayUnits = (day: string, s: Series) => [...(grid.get(day) ?? new Map<string, bigint>())].filter(([n]) => s.members.has(n)).reduce((a, [, u]) => a + u, 0n);
  const dayTotals = days.map((d) => [...(grid.get(d)?.values() ?? [])].reduce((a, b) => a + b, 0n));
  const max = niceMax(Math.max(0, ...dayTotals.map(usdFromUnits)));
  // Ticks on round amounts: 1 and 5 times a power of ten in five steps, 2 times in four.
  const ticks = Math.round(max / 10 ** Math.floor(Math.log10(max))) === 2 ? 4 : 5;
  const step = max / ticks;

  const scope = options.scope ?? (report.filter.tenantId ? `tenant ${report.filter.tenantId}` : 'all tenants');
  const title = `LLM spend per day in USD, by ${by === 'key' ? 'API key' : 'model'} (${scope})`;
  const activeDays = dayTotals.filter((u) => u > 0n).length;
  const period = days.length ? `${days[0]} to ${days[days.length - 1]} (UTC, ${days.length} day${days.length === 1 ? '' : 's'}, ${activeDays} with calls)` : 'no calls';
  const subtitle = `${period}  ·  total ${moneyLabel(report.total.costUnits)}  ·  ${report.total.calls} calls`
    + (report.total.savedUnits > 0n ? `  ·  saved by the cache ${moneyLabel(report.total.savedUnits)}` : '');

  const left = 90, top = 78, plotH = 300, plotW = 640, legendW = 340;
  const width = left + plotW + 30 + legendW, height = top + plotH + 78;
  const slot = days.length ? plotW / days.length : plotW;
  const barW = Math.max(1, Math.min(40, slot * 0.72));
  const y = (usd: number) => top + plotH - (usd / max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(44 / slot));

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#222222">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="28" font-size="17" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${left}" y="50" font-size="12" fill="#555555">${escapeXml(subtitle)}</text>`,
  ];
  for (let i = 0; i <= ticks; i++) {
    const value = step * i;
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(value)}" y2="${y(value)}" stroke="${i === 0 ? '#333333' : '#e3e3e3'}"/>`,
      `<text x="${left - 8}" y="${y(value) + 4}" text-anchor="end">${tickLabel(value, step)}</text>`);
  }
  parts.push(`<text transform="translate(22 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12" fill="#555555">USD per day</text>`);

  days.forEach((day, i) => {
    const cx = left + slot * i + slot / 2;
    let base = 0;
    for (const s of series) {
      const units = dayUnits(day, s);
      if (units <= 0n) continue;
      const usd = usdFromUnits(units);
      parts.push(`<rect x="${(cx - barW / 2).toFixed(2)}" y="${y(base + usd).toFixed(2)}" width="${barW.toFixed(2)}" height="${Math.max(0.5, y(base) - y(base + usd)).toFixed(2)}" fill="${s.color}">`
        + `<title>${escapeXml(`${day} ${s.name}: ${moneyLabel(units)}`)}</title></rect>`);
      base += usd;
    }
    if (slot >= 34 && dayTotals[i]! > 0n) {
      parts.push(`<text x="${cx.toFixed(2)}" y="${(y(base) - 5).toFixed(2)}" text-anchor="middle" font-size="10" fill="#444444">${moneyLabel(dayTotals[i]!)}</text>`);
    }
    parts.push(`<line x1="${cx.toFixed(2)}" x2="${cx.toFixed(2)}" y1="${top + plotH}" y2="${top + plotH + 4}" stroke="#333333"/>`);
    if (i % labelEvery === 0) {
      parts.push(`<text x="${cx.toFixed(2)}" y="${top + plotH + 18}" text-anchor="middle">${dayLabel(day, i === 0 || day.endsWith('-01') || labelEvery > 1)}</text>`);
    }
  });
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#333333"/>`,
    `<text x="${left + plotW / 2}" y="${top + plotH + 44}" text-anchor="middle" font-size="12" fill="#555555">Day (UTC)</text>`);
  if (days.length === 0 || report.total.calls === 0) {
    parts.push(`<text x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" font-size="14" fill="#777777">No calls in this period</text>`);
  }

  const lx = left + plotW + 30;
  parts.push(`<text x="${lx}" y="${top - 8}" font-weight="bold">${by === 'key' ? 'API key' : 'Model'}: total (share)</text>`);
  series.forEach((s, i) => {
    const ly = top + 8 + i * 22;
    const share = report.total.costUnits > 0n ? Number((s.units * 100_000n) / report.total.costUnits) / 1000 : 0;
    parts.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${lx + 18}" y="${ly}">${escapeXml(s.name)}</text>`,
      `<text x="${lx + legendW - 10}" y="${ly}" text-anchor="end">${moneyLabel(s.units)} (${share.toFixed(1)} %)</text>`);
  });
  const ty = top + 8 + series.length * 22 + 6;
  parts.push(`<line x1="${lx}" x2="${lx + legendW - 10}" y1="${ty - 10}" y2="${ty - 10}" stroke="#999999"/>`,
    `<text x="${lx + 18}" y="${ty + 4}" font-weight="bold">Total</text>`,
    `<text x="${lx + legendW - 10}" y="${ty + 4}" text-anchor="end" font-weight="bold">${moneyLabel(report.total.costUnits)}</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
