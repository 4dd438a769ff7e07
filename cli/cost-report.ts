// `npm run cost-report -- <folder | s3://bucket/prefix> [--format table|csv|json] [--chart spend.svg]
//    [--from YYYY-MM-DD --to YYYY-MM-DD] [--tenant t]`
// Totals per tenant, model, key and day from a DynamoDB export of the cost table (call records only).
import { writeFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { callsFromItems } from '#core/cost-report/calls.ts';
import { renderReport } from '#core/cost-report/render.ts';
import { renderSpendChart } from '#core/cost-report/svg-chart.ts';
import { buildReport } from '#core/cost-report/totals.ts';
import type { ReportFilter } from '#core/cost-report/totals.ts';
import { helpText, parseCommand, UsageError } from './command.ts';
import type { CommandSpec } from './command.ts';
import { loadExport } from './export-reader.ts';
import { runMain } from './io.ts';
import type { Io } from './io.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const optionsSchema = z.object({
  source: z.string().min(1),
  format: z.enum(['table', 'csv', 'json']).default('table'),
  chart: z.string().min(1).optional(),
  'chart-by': z.enum(['model', 'key']).default('model'),
  from: day.optional(),
  to: day.optional(),
  tenant: z.string().min(1).optional(),
});

export type CostReportOptions = z.infer<typeof optionsSchema>;

export const costReportSpec: CommandSpec = {
  invocation: 'npm run cost-report --',
  args: '<location>',
  summary: 'Totals per tenant, model, key and day (every day of the range, zeros included) from an export of the cost table (npm run export-costs), and a chart of spend per day. <location> is an export folder or s3://bucket/prefix; the newest export under it is read.',
  options: {
    format: { type: 'string', value: '<table|csv|json>', description: 'output format (default: table; json gives money as exact decimal strings)' },
    chart: { type: 'string', value: '<file.svg>', description: 'also write a bar chart of spend per day (SVG), stacked by model' },
    'chart-by': { type: 'string', value: '<model|key>', description: 'stack the chart by model (default) or by API key' },
    from: { type: 'string', value: '<YYYY-MM-DD>', description: 'first day (UTC), inclusive' },
    to: { type: 'string', value: '<YYYY-MM-DD>', description: 'last day (UTC), inclusive' },
    tenant: { type: 'string', value: '<id>', description: 'only this tenant' },
  },
  examples: [
    'npm run cost-report -- .local-data/exports --chart spend.svg',
    'npm run cost-report -- .local-data/exports --tenant acme --chart acme-keys.svg --chart-by key',
    'npm run cost-report -- s3://my-exports/costs --from 2026-11-01 --to 2026-11-30 --format csv > november.csv',
  ],
};

export function parseCostReportArgs(argv: string[]): CostReportOptions | 'help' {
  const parsed = parseCommand(costReportSpec, argv);
  if (parsed.help) return 'help';
  const result = optionsSchema.safeParse({ ...parsed.values, source: parsed.positionals[0] });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UsageError(`--${issue.path.join('.')}: ${issue.message}`, costReportSpec.invocation);
  }
  if (result.data.from && result.data.to && result.data.from > result.data.to) throw new UsageError(`--from ${result.data.from} is after --to ${result.data.to}`, costReportSpec.invocation);
  return result.data;
}

export async function costReport(argv: string[], io: Io, deps: { s3?: S3Client } = {}): Promise<void> {
  const options = parseCostReportArgs(argv);
  if (options === 'help') {
    io.out(helpText(costReportSpec));
    return;
  }
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
    await writeFile(options.chart, renderSpendChart(report, { by: options['chart-by'] }));
    io.err(`chart written to ${options.chart}`);
  }
  io.err(`${loaded.location}: ${calls.length} call records, ${skipped} other items skipped`);
}

if (import.meta.main) runMain((io) => costReport(process.argv.slice(2), io));
