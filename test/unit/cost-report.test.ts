import { describe, expect, it } from 'vitest';
import { callsFromItems } from '#core/cost-report/calls.ts';
import { parseExportLines } from '#core/cost-report/dynamodb-json.ts';
import { parseManifestFiles, parseManifestSummary, relativeDataKey } from '#core/cost-report/export-layout.ts';
import { unitsFromDecimal, usdRounded, usdText } from '#core/cost-report/money.ts';
import { renderReport } from '#core/cost-report/render.ts';
import { niceMax, renderSpendChart } from '#core/cost-report/svg-chart.ts';
import { buildReport } from '#core/cost-report/totals.ts';

const line = (o: Record<string, unknown>) => JSON.stringify({ Item: o });
const call = (tenant: string, req: string, day: string, model: string, cost: string, extra: Record<string, unknown> = {}) => line({
  pk: { S: `TENANT#${tenant}` }, sk: { S: `CALL#${day}T10:00:00.000Z#${req}` }, day: { S: day }, tenantId: { S: tenant }, keyId: { S: 'key_x' },
  requestId: { S: req }, modelId: { S: model }, timestamp: { S: `${day}T10:00:00.000Z` }, costUsd: { N: cost },
  inputTokens: { N: '100' }, outputTokens: { N: '10' }, cachedInputTokens: { N: '0' }, reasoningTokens: { N: '0' }, cacheHit: { BOOL: false }, ...extra,
});

describe('money', () => {
  it('parses DynamoDB number text exactly, exponent notation included', () => {
    expect(unitsFromDecimal('0.1')).toBe(1_000_000_000n);
    expect(unitsFromDecimal('1.5E-7')).toBe(1500n);
    expect(unitsFromDecimal('-0.00000000005')).toBe(-1n);
    expect(unitsFromDecimal('12')).toBe(120_000_000_000n);
    expect(usdText(unitsFromDecimal('0.1') + unitsFromDecimal('0.2'))).toBe('0.3');
    expect(usdRounded(unitsFromDecimal('0.0052505'), 6)).toBe('0.005251');
    expect(() => unitsFromDecimal('abc')).toThrow();
  });
});

describe('export items', () => {
  it('parses DynamoDB JSON lines and keeps only call records', () => {
    const items = parseExportLines([
      call('a', 'r1', '2026-11-26', 'gpt-5.4', '0.1'),
      line({ pk: { S: 'AGG#TENANT#a' }, sk: { S: 'DAY#2026-11-26#MODEL#gpt-5.4' }, costUsd: { N: '0.1' } }),
      '',
      call('a', 'r2', '2026-11-26', 'gpt-5.4', '0.2', { savedUsd: { N: '0.05' }, cacheHit: { BOOL: true }, tags: { L: [{ S: 'x' }] } }),
      line({ pk: { S: 'TENANT#a' }, sk: { S: 'CALL#bad' }, tenantId: { S: 'a' } }),
    ].join('\n'), 'data.json');
    const parsed = callsFromItems(items);
    expect(parsed.calls).toHaveLength(2);
    expect(parsed.skipped).toBe(1);
    expect(parsed.invalid).toHaveLength(1);
    expect(parsed.calls[1]).toMatchObject({ cacheHit: true, savedUnits: 500_000_000n, costUnits: 2_000_000_000n });
    expect(() => parseExportLines('{"nope":1}', 'f')).toThrow(/f:1/);
  });

  it('reads the manifests and resolves data keys relative to the export folder', () => {
    expect(parseManifestSummary('{"version":"2020-06-30","exportTime":"2026-11-26T00:00:00Z","outputFormat":"DYNAMODB_JSON"}', 's').exportTime).toBe('2026-11-26T00:00:00Z');
    expect(() => parseManifestSummary('{"outputFormat":"ION"}', 's')).toThrow(/ION/);
    const files = parseManifestFiles('{"itemCount":3,"md5Checksum":"x","etag":"y","dataFileS3Key":"costs/AWSDynamoDB/0123-ab/data/abc.json.gz"}\n', 'm');
    expect(relativeDataKey(files[0]!.dataFileS3Key)).toBe('data/abc.json.gz');
  });
});

describe('report', () => {
  const calls = callsFromItems(parseExportLines([
    call('a', 'r1', '2026-11-25', 'gpt-5.4', '0.1'),
    call('a', 'r2', '2026-11-26', 'gpt-5.4', '0.2'),
    call('a', 'r3', '2026-11-26', 'claude-sonnet-4.6', '0.0000001'),
    call('b', 'r4', '2026-11-27', 'gpt-5.4', '1.5'),
    call('a', 'r2', '2026-11-26', 'gpt-5.4', '0.2'), // the same call twice counts once
  ].join('\n'), 'd')).calls;

  it('totals per tenant, model and day equal the sum of the records', () => {
    const report = buildReport(calls);
    expect(usdText(report.total.costUnits)).toBe('1.8000001');
    expect(report.total.calls).toBe(4);
    expect(report.byTenant.map((r) => [r.key, usdText(r.costUnits)])).toEqual([['a', '0.3000001'], ['b', '1.5']]);
    expect(report.byModel.map((r) => [r.key, r.calls])).toEqual([['claude-sonnet-4.6', 1], ['gpt-5.4', 3]]);
    expect(report.byDay.map((r) => r.key)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
  });

  it('filters by tenant and inclusive day range', () => {
    const report = buildReport(calls, { tenantId: 'a', from: '2026-11-26', to: '2026-11-26' });
    expect(report.total.calls).toBe(2);
    expect(usdText(report.total.costUnits)).toBe('0.2000001');
  });

  it('renders a table, CSV and JSON', () => {
    const report = buildReport(calls);
    const table = renderReport(report, 'table');
    expect(table).toContain('By tenant');
    expect(table).toMatch(/total .* 1\.800000/);
    const csv = renderReport(report, 'csv').trim().split('\n');
    expect(csv[0]).toBe('group,key,calls,cacheHits,inputTokens,outputTokens,cachedInputTokens,reasoningTokens,costUsd,savedUsd');
    expect(csv).toContain('tenant,b,1,0,100,10,0,0,1.5,0');
    expect(csv.at(-1)).toBe('total,,4,0,400,40,0,0,1.8000001,0');
    const json = JSON.parse(renderReport(report, 'json')) as { total: { costUsd: string }; byDay: unknown[] };
    expect(json.total.costUsd).toBe('1.8000001');
    expect(json.byDay).toHaveLength(3);
  });

  it('draws one stacked bar per day with a legend entry per model', () => {
    const svg = renderSpendChart(buildReport(calls));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('2026-11-27 gpt-5.4: $1.500000');
    expect(svg.match(/<rect x="\d+(\.\d+)?" y="[^"]+" width="28"/g)).toHaveLength(4);
    expect(svg).toContain('>claude-sonnet-4.6</text>');
    expect(niceMax(1.8)).toBe(2);
    expect(niceMax(0.0031)).toBeCloseTo(0.005, 12);
  });
});
