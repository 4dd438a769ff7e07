// Spend per day per model as a stacked bar chart in hand-written SVG (no dependency).
import { usdFromUnits, usdRounded } from './money.ts';
import type { CostReport } from './totals.ts';

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

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

export function renderSpendChart(report: CostReport, title = 'Spend per day (USD)'): string {
  const days = [...report.dayModel.keys()].sort();
  const models = [...new Set(days.flatMap((d) => [...report.dayModel.get(d)!.keys()]))].sort();
  const color = (model: string) => PALETTE[models.indexOf(model) % PALETTE.length]!;
  const dayTotals = days.map((d) => [...report.dayModel.get(d)!.values()].reduce((a, b) => a + b, 0n));
  const max = niceMax(Math.max(0, ...dayTotals.map(usdFromUnits)));

  const left = 80, top = 40, plotH = 260, barW = 28, gap = 12;
  const plotW = Math.max(200, days.length * (barW + gap) + gap);
  const legendW = 220;
  const width = left + plotW + 20 + legendW, height = top + plotH + 70;
  const y = (usd: number) => top + plotH - (usd / max) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="22" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(value)}" y2="${y(value)}" stroke="#dddddd"/>`,
      `<text x="${left - 6}" y="${y(value) + 4}" text-anchor="end">${value.toPrecision(3).replace(/\.?0+$/, '')}</text>`);
  }
  days.forEach((day, i) => {
    const x = left + gap + i * (barW + gap);
    let base = 0;
    for (const model of models) {
      const units = report.dayModel.get(day)!.get(model);
      if (!units) continue;
      const usd = usdFromUnits(units);
      parts.push(`<rect x="${x}" y="${y(base + usd)}" width="${barW}" height="${Math.max(0, y(base) - y(base + usd))}" fill="${color(model)}">`
        + `<title>${escapeXml(`${day} ${model}: $${usdRounded(units, 6)}`)}</title></rect>`);
      base += usd;
    }
    parts.push(`<text x="${x + barW / 2}" y="${top + plotH + 14}" text-anchor="end" transform="rotate(-45 ${x + barW / 2} ${top + plotH + 14})">${escapeXml(day)}</text>`);
  });
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#333333"/>`,
    `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333333"/>`);
  models.forEach((model, i) => {
    const ly = top + i * 18;
    parts.push(`<rect x="${left + plotW + 20}" y="${ly}" width="12" height="12" fill="${color(model)}"/>`,
      `<text x="${left + plotW + 38}" y="${ly + 10}">${escapeXml(model)}</text>`);
  });
  if (days.length === 0) parts.push(`<text x="${left + 10}" y="${top + plotH / 2}">no calls in the selected period</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
