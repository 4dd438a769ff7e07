// Exports and reports end to end: export folders in the real ExportTableToPointInTime layout (from a
// local folder and from S3 on fauxqs), the local runtime's own export, and the admin commands.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startFauxqs } from 'fauxqs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoKeyStore } from '#adapters/dynamodb/key-store.ts';
import { costTable, tenantTable } from '#contracts/tables.ts';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { admin } from '../../cli/admin.ts';
import { costReport } from '../../cli/cost-report.ts';
import { buildExportRequest, parseExportCostsArgs, regionOf } from '../../cli/export-costs.ts';
import { capturingIo } from '../../cli/io.ts';
import { exportTableLocally } from '../../cli/local-export.ts';
import { costRecordsFor } from '../support/cost-records.ts';
import { standInDocuments, startTestStack } from '../support/local-stack-fixture.ts';

const run = promisify(execFile);

interface FixtureCall { tenant: string; request: string; day: string; model: string; cost: string; saved?: string }

const fixtureCalls: FixtureCall[] = [
  { tenant: 'acme', request: 'r1', day: '2026-11-24', model: 'gpt-5.4', cost: '0.0046' },
  { tenant: 'acme', request: 'r2', day: '2026-11-25', model: 'gpt-5.4', cost: '0.01525' },
  { tenant: 'acme', request: 'r3', day: '2026-11-25', model: 'claude-sonnet-4.6', cost: '1.5E-7' },
  { tenant: 'acme', request: 'r4', day: '2026-11-25', model: 'gpt-5.4', cost: '0', saved: '0.0046' },
  { tenant: 'globex', request: 'r5', day: '2026-11-26', model: 'gemini-3-flash-preview', cost: '0.1' },
  { tenant: 'globex', request: 'r6', day: '2026-11-26', model: 'gemini-3-flash-preview', cost: '0.2' },
];

function itemLine(c: FixtureCall): string {
  const ts = `${c.day}T12:00:00.000Z`;
  return JSON.stringify({ Item: {
    pk: { S: `TENANT#${c.tenant}` }, sk: { S: `CALL#${ts}#${c.request}` }, day: { S: c.day }, tenantId: { S: c.tenant },
    keyId: { S: 'key_0123456789ab' }, requestId: { S: c.request }, modelId: { S: c.model }, providerId: { S: 'p' },
    inputTokens: { N: '1000' }, outputTokens: { N: '200' }, cachedInputTokens: { N: '400' }, reasoningTokens: { N: '0' },
    costUsd: { N: c.cost }, ...(c.saved ? { savedUsd: { N: c.saved } } : {}), latencyMs: { N: '10' }, attempts: { N: '1' },
    cacheHit: { BOOL: c.saved !== undefined }, stream: { BOOL: false }, strategy: { S: 'balanced' }, timestamp: { S: ts },
  } });
}

const aggregateLine = JSON.stringify({ Item: { pk: { S: 'AGG#TENANT#acme' }, sk: { S: 'DAY#2026-11-25#MODEL#gpt-5.4' }, costUsd: { N: '99' }, calls: { N: '2' } } });

/** Files of one export, keyed by path relative to the prefix (as S3 keys would be under it). */
function exportFiles(prefix: string, exportId: string, exportTime: string, lines: string[][]): Map<string, Buffer> {
  const base = `${prefix}AWSDynamoDB/${exportId}`;
  const files = new Map<string, Buffer>();
  const manifestLines = lines.map((chunk, i) => {
    const key = `${base}/data/file${i}abcdefghij.json.gz`;
    files.set(key, gzipSync(`${chunk.join('\n')}\n`));
    return JSON.stringify({ itemCount: chunk.length, md5Checksum: 'AAAA', etag: 'etag', dataFileS3Key: key });
  });
  files.set(`${base}/manifest-files.json`, Buffer.from(`${manifestLines.join('\n')}\n`));
  files.set(`${base}/manifest-summary.json`, Buffer.from(JSON.stringify({
    version: '2020-06-30', exportArn: `arn:aws:dynamodb:us-east-1:123456789012:table/costs/export/${exportId}`,
    startTime: exportTime, endTime: exportTime, tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/costs', tableId: 'id',
    exportTime, s3Bucket: 'bucket', s3Prefix: prefix.replace(/\/$/, ''), s3SseAlgorithm: 'AES256', s3SseKmsKeyId: null,
    manifestFilesS3Key: `${base}/manifest-files.json`, billedSizeBytes: 1, itemCount: lines.flat().length, outputFormat: 'DYNAMODB_JSON',
  })));
  files.set(`${base}/_started`, Buffer.alloc(0));
  return files;
}

function fixtureExport(prefix: string): Map<string, Buffer> {
  const lines = fixtureCalls.map(itemLine);
  const current = exportFiles(prefix, '01764150000000-abcdef12', '2026-11-26T18:00:00.000Z', [[...lines.slice(0, 3), aggregateLine], lines.slice(3), []]);
  // An older export under the same prefix: the report reads only the newest.
  const older = exportFiles(prefix, '01764000000000-00000000', '2026-11-24T00:00:00.000Z', [[itemLine({ tenant: 'old', request: 'x', day: '2026-11-23', model: 'm', cost: '5' })]]);
  return new Map([...current, ...older]);
}

const sumOf = (calls: FixtureCall[]) => calls.reduce((s, c) => s + Number(c.cost), 0);
type ReportJson = { total: { calls: number; costUsd: string; savedUsd: string }; byTenant: Array<{ tenant: string; costUsd: string }>; byDay: Array<{ day: string }>; byModel: Array<{ model: string; calls: number }> };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cost-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cost-report on an export folder', () => {
  it('reads the manifests and gzipped DynamoDB JSON, skips aggregates, and totals equal the records', async () => {
    const root = join(dir, 'folder');
    for (const [key, body] of fixtureExport('costs/')) {
      await mkdir(join(root, key, '..'), { recursive: true });
      await writeFile(join(root, key), body);
    }
    const io = capturingIo();
    const chart = join(dir, 'spend.svg');
    await costReport([join(root, 'costs'), '--format', 'json', '--chart', chart], io);
    const report = JSON.parse(io.stdout.join('')) as ReportJson;
    expect(report.total.calls).toBe(fixtureCalls.length);
    expect(report.total.costUsd).toBe('0.31985015');
    expect(Number(report.total.costUsd)).toBeCloseTo(sumOf(fixtureCalls), 12);
    expect(report.total.savedUsd).toBe('0.0046');
    expect(report.byTenant).toEqual([
      expect.objectContaining({ tenant: 'acme', costUsd: '0.01985015' }),
      expect.objectContaining({ tenant: 'globex', costUsd: '0.3' }),
    ]);
    expect(io.stderr.join('')).toContain('1 other items skipped');
    const svg = await readFile(chart, 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('gemini-3-flash-preview');

    const filtered = capturingIo();
    await costReport([join(root, 'costs', 'AWSDynamoDB'), '--format', 'csv', '--tenant', 'acme', '--from', '2026-11-25', '--to', '2026-11-25'], filtered);
    expect(filtered.stdout.join('')).toContain('total,,3,1,3000,600,1200,0,0.01525015,0.0046');

    const table = capturingIo();
    await costReport([join(root, 'costs')], table);
    expect(table.stdout.join('')).toMatch(/By model[\s\S]*gpt-5\.4/);
  });

  it('rejects bad arguments with the usage', async () => {
    await expect(costReport([], capturingIo())).rejects.toThrow(/missing <location>/);
    await expect(costReport([dir, '--from', '26-11-2026'], capturingIo())).rejects.toThrow(/YYYY-MM-DD/);
    await expect(costReport([join(dir, 'nothing-here')], capturingIo())).rejects.toThrow(/no DynamoDB export found/);
  });
});

describe('cost-report on s3://', () => {
  it('reads the same export from S3 (fauxqs)', async () => {
    const server = await startFauxqs({ port: 0, logger: false });
    const s3 = new S3Client({ endpoint: server.address, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'exports' }));
      for (const [key, body] of fixtureExport('router/costs/')) await s3.send(new PutObjectCommand({ Bucket: 'exports', Key: key, Body: body }));
      const io = capturingIo();
      await costReport(['s3://exports/router/costs', '--format', 'json'], io, { s3 });
      const report = JSON.parse(io.stdout.join('')) as ReportJson;
      expect(report.total.calls).toBe(fixtureCalls.length);
      expect(report.total.costUsd).toBe('0.31985015');
    } finally {
      s3.destroy();
      await server.stop();
    }
  });
});

describe('export-costs arguments (the AWS export itself cannot run locally)', () => {
  it('builds a full DynamoDB JSON point-in-time export request', () => {
    const args = parseExportCostsArgs(['--table-arn', 'arn:aws:dynamodb:eu-west-1:123456789012:table/llm-router-costs', '--bucket', 'my-exports', '--prefix', '/costs/']);
    expect(args).toEqual({ mode: 'aws', tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/llm-router-costs', bucket: 'my-exports', prefix: 'costs' });
    if (args === 'help' || args.mode !== 'aws') throw new Error('unreachable');
    expect(regionOf(args)).toBe('eu-west-1');
    expect(buildExportRequest(args, 'token-1')).toEqual({
      TableArn: args.tableArn, S3Bucket: 'my-exports', S3Prefix: 'costs', ExportFormat: 'DYNAMODB_JSON', ExportType: 'FULL_EXPORT', ClientToken: 'token-1',
    });
    expect(parseExportCostsArgs(['--local'])).toEqual({ mode: 'local', out: '.local-data/exports' });
    expect(() => parseExportCostsArgs(['--bucket', 'b'])).toThrow(/--table-arn and --bucket are required/);
    expect(() => parseExportCostsArgs(['--table-arn', 'nope', '--bucket', 'bucket'])).toThrow(/not a DynamoDB table ARN/);
    expect(() => parseExportCostsArgs(['--table-arn', args.tableArn, '--bucket', 'Bad_Bucket'])).toThrow(/not an S3 bucket name/);
  });
});

describe('with the local runtime', () => {
  let stack: LocalStack;
  let client: OpenAI;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    ({ stack, client } = await startTestStack());
    documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }));
  });
  afterAll(async () => {
    documents?.destroy();
    await stack?.close();
  });

  it('exports the local cost table in the export layout, and the report matches the cost records', async () => {
    for (const model of ['gpt-5.4', 'cheap', 'claude-sonnet-4.6']) {
      await client.chat.completions.create({ model, messages: [{ role: 'user', content: `Report test for ${model}` }] });
    }
    await stack.settled(); // the records are written after each response, in the same invocation
    const out = join(dir, 'local-exports');
    const result = await exportTableLocally(new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }), stack.tableNames[costTable.name]!, out);
    expect(result.itemCount).toBeGreaterThan(3); // call records plus aggregates

    const io = capturingIo();
    await costReport([out, '--format', 'json', '--tenant', 'local'], io);
    const report = JSON.parse(io.stdout.join('')) as ReportJson;
    const records = await costRecordsFor(stack, 'local');
    expect(report.total.calls).toBe(records.length);
    expect(Number(report.total.costUsd)).toBeCloseTo(records.reduce((s, r) => s + Number(r['costUsd']), 0), 10);
  });

  it('admin commands manage tenants, keys and budgets, and never store or log a key in clear', async () => {
    const endpoint = ['--local', '--endpoint', stack.dynamoEndpoint];
    const outputs: string[] = [];
    const exec = async (...argv: string[]) => {
      const io = capturingIo();
      await admin([...argv, ...endpoint], io, {});
      outputs.push(...io.stdout, ...io.stderr);
      return io.stdout.join('\n');
    };
    expect(await exec('create-tenant', 'acme', '--name', 'Acme Inc')).toContain('created tenant acme');
    await expect(exec('create-tenant', 'acme')).rejects.toThrow(/already exists/);
    await expect(exec('issue-key', 'nobody')).rejects.toThrow(/no tenant nobody/);

    const issued = await exec('issue-key', 'acme');
    const key = /sk-lr-[A-Za-z0-9_-]{43}/.exec(issued)?.[0];
    expect(key).toBeDefined();
    const keyId = /key_[0-9a-f]{12}/.exec(issued)![0];

    // The new key works through the HTTP surface.
    const acme = new OpenAI({ baseURL: stack.baseUrl, apiKey: key!, maxRetries: 0 });
    const answer = await acme.chat.completions.create({ model: 'cheap', messages: [{ role: 'user', content: 'hi from acme' }] });
    expect(answer.choices[0]?.message.content).toBeTruthy();

    expect(await exec('list-keys', 'acme')).toMatch(new RegExp(`${keyId} .* active`));
    expect(await exec('set-budget', 'acme', '25.50')).toContain('$25.50');
    expect(await exec('set-budget', 'acme', '5', '--key', keyId, '--prefer-cheaper-at', '0.8')).toContain(`key ${keyId}`);
    await expect(exec('set-budget', 'acme', '-1')).rejects.toThrow();
    expect(await exec('revoke-key', keyId)).toContain(`revoked ${keyId}`);
    expect(await exec('list-keys', 'acme')).toMatch(new RegExp(`${keyId} .* revoked`));
    // The seeded local key has no lookup item: found by a scan.
    const localKeyId = (await exec('list-keys', 'local')).split(/\s+/)[0]!;
    expect(localKeyId).toMatch(/^key_/);

    const table = stack.tableNames[tenantTable.name]!;
    const budget = (await documents.send(new GetCommand({ TableName: table, Key: { pk: 'TENANT#acme', sk: `BUDGET#KEY#${keyId}` } }))).Item;
    expect(budget).toMatchObject({ monthlyUsd: 5, preferCheaperAt: 0.8 });
    expect(await new DynamoKeyStore({ tableName: table, client: standInDocuments(stack.dynamoEndpoint) }).authenticate(key!)).toBeUndefined();

    // The raw key is in the output of issue-key only, once, and nowhere in the table.
    expect(outputs.join('\n').split(key!).length - 1).toBe(1);
    const everything = JSON.stringify((await documents.send(new ScanCommand({ TableName: table }))).Items);
    expect(everything).not.toContain(key!);
    expect(everything).not.toContain(key!.slice('sk-lr-'.length));
    const keyItems = (await documents.send(new ScanCommand({ TableName: table }))).Items!.filter((i) => i['sk'] === tenantTableKeys.apiKeySk);
    expect(keyItems.every((i) => /^KEY#[0-9a-f]{64}$/.test(String(i['pk'])))).toBe(true);
  });

  it('runs as a command: npm run admin -- list-keys local --local --endpoint ...', async () => {
    const { stdout } = await run(process.execPath, ['cli/admin.ts', 'list-keys', 'local', '--local', '--endpoint', stack.dynamoEndpoint], { env: { ...process.env } });
    expect(stdout).toMatch(/^key_[0-9a-f]{12} .* active$/m);
    expect(stdout).not.toContain(stack.apiKey);
    const failed = await run(process.execPath, ['cli/admin.ts', 'frobnicate'], {}).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toMatch(/^error: unknown command 'frobnicate'.*\(see: npm run admin -- --help\)\n$/);
  });
});
