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

  it('has a continuous day axis: every day of the range, days without calls as zero rows', () => {
    const report = buildReport(calls, { from: '2026-11-20', to: '2026-11-30' });
    expect(report.byDay.map((r) => r.key)).toEqual(['20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '30'].map((d) => `2026-11-${d}`));
    expect(report.byDay.filter((r) => r.calls > 0).map((r) => r.key)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    expect(report.byDay[0]).toMatchObject({ calls: 0, costUnits: 0n });
    // Without bounds the axis runs from the first to the last day with calls, across a month end.
    const across = buildReport(callsFromItems(parseExportLines([call('a', 'x', '2026-11-29', 'm', '1'), call('a', 'y', '2026-12-02', 'm', '1')].join('\n'), 'd')).calls);
    expect(across.byDay.map((r) => r.key)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(buildReport([]).byDay).toEqual([]);
  });

  it('breaks spend down per key, labelled with its tenant', () => {
    const keyed = callsFromItems(parseExportLines([
      call('a', 'k1', '2026-11-25', 'gpt-5.4', '0.1', { keyId: { S: 'key_aaaaaaaaaaaa' } }),
      call('a', 'k2', '2026-11-25', 'gpt-5.4', '0.2', { keyId: { S: 'key_bbbbbbbbbbbb' } }),
      call('a', 'k3', '2026-11-26', 'gpt-5.4', '0.3', { keyId: { S: 'key_bbbbbbbbbbbb' } }),
    ].join('\n'), 'd')).calls;
    const report = buildReport(keyed);
    expect(report.byKey.map((r) => [r.tenantId, r.key, r.calls, usdText(r.costUnits)])).toEqual([
      ['a', 'key_aaaaaaaaaaaa', 1, '0.1'], ['a', 'key_bbbbbbbbbbbb', 2, '0.5'],
    ]);
    expect(renderReport(report, 'csv')).toContain('key,a/key_bbbbbbbbbbbb,2,');
    expect(renderReport(report, 'table')).toMatch(/By key\n.*\n.*\na\/key_aaaaaaaaaaaa /);
    expect((JSON.parse(renderReport(report, 'json')) as { byKey: unknown[] }).byKey[1]).toMatchObject({ tenant: 'a', key: 'key_bbbbbbbbbbbb', costUsd: '0.5' });
    const svg = renderSpendChart(report, { by: 'key' });
    expect(svg).toContain('2026-11-26 a/key_bbbbbbbbbbbb: $0.30');
    expect(svg).toContain('by API key');
  });

  it('charts every day of the range with a titled, labelled axis and a legend of totals and shares', () => {
    const report = buildReport(calls, { tenantId: 'a', from: '2026-11-24', to: '2026-11-27' });
    const svg = renderSpendChart(report);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('LLM spend per day in USD, by model (tenant a)');
    expect(svg).toContain('2026-11-24 to 2026-11-27 (UTC, 4 days, 2 with calls)  ·  total $0.30  ·  3 calls');
    expect(svg).toContain('>USD per day</text>');
    expect(svg).toContain('>Day (UTC)</text>');
    // One bar segment per day and model with spend; four day ticks, days without calls included.
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(3);
    expect(svg).toContain('2026-11-26 claude-sonnet-4.6: $0.000000');
    expect(svg.match(/<text [^>]*text-anchor="middle">(Nov 24|25|26|27)<\/text>/g)).toHaveLength(4);
    // Legend: largest first, each with its total and share; then the total.
    expect(svg).toMatch(/>gpt-5\.4<\/text>\n<text [^>]*>\$0\.30 \(100\.0 %\)<\/text>[\s\S]*>claude-sonnet-4\.6</);
    expect(svg).toMatch(/>Total<\/text>\n<text [^>]*>\$0\.30<\/text>/);
    // The busiest day is $0.20 (and a bit): the axis runs to $0.50 in steps of $0.10.
    expect(svg.match(/text-anchor="end">\$[\d.]+<\/text>/g)).toEqual(['0.00', '0.10', '0.20', '0.30', '0.40', '0.50'].map((v) => `text-anchor="end">$${v}</text>`));
    expect(niceMax(1.8)).toBe(2);
    expect(niceMax(0.0031)).toBeCloseTo(0.005, 12);
  });

  it('merges models beyond the palette into one "other" series and says when there is nothing to draw', () => {
    const many = callsFromItems(parseExportLines(Array.from({ length: 11 }, (_, i) => call('a', `m${i}`, '2026-11-25', `model-${String(i).padStart(2, '0')}`, String(i + 1))).join('\n'), 'd')).calls;
    const svg = renderSpendChart(buildReport(many));
    expect(svg).toContain('>other (4)</text>');
    expect(svg.match(/<rect x="\d+" y="[^"]+" width="12" height="12"/g)).toHaveLength(8);
    expect(renderSpendChart(buildReport([], { from: '2026-11-01', to: '2026-11-02' }))).toContain('No calls in this period');
  });
});
