// `npm run cost-report -- <folder | s3://bucket/prefix> [--format table|csv|json] [--chart spend.svg]
//    [--from YYYY-MM-DD --to YYYY-MM-DD] [--tenant t]`
// Totals per tenant, model and day from a DynamoDB export of the cost table (call records only).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { callsFromItems } from '#core/cost-report/calls.ts';
import { renderReport } from '#core/cost-report/render.ts';
import { renderSpendChart } from '#core/cost-report/svg-chart.ts';
import { buildReport } from '#core/cost-report/totals.ts';
import type { ReportFilter } from '#core/cost-report/totals.ts';
import { loadExport } from './export-reader.ts';
import { runMain } from './io.ts';
import type { Io } from './io.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const optionsSchema = z.object({
  source: z.string().min(1),
  format: z.enum(['table', 'csv', 'json']).default('table'),
  chart: z.string().min(1).optional(),
  from: day.optional(),
  to: day.optional(),
  tenant: z.string().min(1).optional(),
});

export type CostReportOptions = z.infer<typeof optionsSchema>;

export const usage = 'usage: npm run cost-report -- <folder | s3://bucket/prefix> [--format table|csv|json] [--chart spend.svg] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--tenant id]';

export function parseCostReportArgs(argv: string[]): CostReportOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, chart: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, tenant: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new Error(usage);
  const parsed = optionsSchema.safeParse({ ...values, source: positionals[0] });
  if (!parsed.success) throw new Error(`${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n${usage}`);
  if (parsed.data.from && parsed.data.to && parsed.data.from > parsed.data.to) throw new Error('--from is after --to');
  return parsed.data;
}

export async function costReport(argv: string[], io: Io, deps: { s3?: S3Client } = {}): Promise<void> {
  const options = parseCostReportArgs(argv);
  const loaded = await loadExport(options.source, deps.s3 ? { s3: deps.s3 } : {});
  const { calls, skipped, invalid } = callsFromItems(loaded.items);
  for (const bad of invalid) io.err(`skipped an invalid call record ${bad.sk}: ${bad.reason}`);
  const filter: ReportFilter = {
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
    ...(options.tenant ? { tenantId: options.tenant } : {}),
  };
  const report = buildReport(calls, filter);
  io.out(renderReport(report, options.format));
  if (options.chart) {
    await writeFile(options.chart, renderSpendChart(report));
    io.err(`chart written to ${options.chart}`);
  }
  io.err(`${loaded.location}: ${calls.length} call records, ${skipped} other items skipped`);
}

if (import.meta.main) runMain((io) => costReport(process.argv.slice(2), io));
