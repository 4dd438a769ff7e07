// The newcomer's path with the CLI against a running local runtime that keeps its data on disk: the
// commands find it through <data dir>/runtime.json (as `npm start` writes it), work while it runs
// (the data folder itself is locked), and say clearly when they cannot find it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { runtimeInfoOf, writeRuntimeFile } from '#local/runtime-file.ts';
import { admin } from '../../cli/admin.ts';
import { costReport } from '../../cli/cost-report.ts';
import { exportCosts } from '../../cli/export-costs.ts';
import { capturingIo, describeError } from '../../cli/io.ts';
import { redriveCommand } from '../../cli/redrive-dlq.ts';
import { startTestStack } from '../support/local-stack-fixture.ts';

const run = promisify(execFile);

let dir: string;
let dataDir: string;
let stack: LocalStack;
let client: OpenAI;
const accessLog: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'operator-cli-'));
  dataDir = join(dir, 'data');
  ({ stack, client } = await startTestStack({ dataDir, accessLog: (line) => accessLog.push(line) }));
  writeRuntimeFile(dataDir, runtimeInfoOf(stack, dataDir));
});
afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

const env = () => ({ ROUTER_DATA_DIR: dataDir });
async function adminOut(...argv: string[]): Promise<string> {
  const io = capturingIo();
  await admin([...argv, '--local'], io, env());
  return io.stdout.join('\n');
}

describe('with npm start running on a data folder', () => {
  let key: string;
  let keyId: string;

  it('creates a tenant, issues a key, sets a budget, and tenants show reports spend and the key', async () => {
    await adminOut('create-tenant', 'acme', '--name', 'Acme Inc');
    const issued = await adminOut('issue-key', 'acme');
    key = /sk-lr-[A-Za-z0-9_-]{43}/.exec(issued)![0];
    keyId = /key_[0-9a-f]{12}/.exec(issued)![0];
    await adminOut('set-budget', 'acme', '25');
    await adminOut('set-budget', 'acme', '5', '--key', keyId);

    const acme = new OpenAI({ baseURL: stack.baseUrl, apiKey: key, maxRetries: 0 });
    const costs: number[] = [];
    for (const model of ['gpt-5.4', 'cheap', 'claude-sonnet-4.6']) {
      const { response } = await acme.chat.completions.create({ model, messages: [{ role: 'user', content: `operator test ${model}` }] }).withResponse();
      costs.push(Number(response.headers.get('x-router-cost-usd')));
    }
    const spent = costs.reduce((a, b) => a + b, 0);
    expect(spent).toBeGreaterThan(0);
    await stack.settled(); // spend is settled after each response, in the same invocation

    const shown = await adminOut('tenants', 'show', 'acme');
    expect(shown).toContain('tenant   acme (Acme Inc)');
    expect(shown).toContain('budget   $25.00 per month');
    expect(shown).toMatch(new RegExp(`\\$${spent.toFixed(6)} spent .*, \\$0.00 held for calls in flight, 3 calls`));
    expect(shown).toMatch(new RegExp(`${keyId}\\s+active\\s+\\S+\\s+\\$5.00\\s+\\$${spent.toFixed(6)}\\s+\\$0.00`));
    expect(shown).toMatch(/plan\s+standard: 10 rps/); // create-tenant attaches the standard plan
    expect(shown).not.toContain(key);

    const listed = await adminOut('tenants', 'list');
    expect(listed).toMatch(/acme\s+Acme Inc\s+\$25.00\s+\$0.0\d+\s+\$0.00\s+1 active/);
    expect(listed).toMatch(/local\s+Local development\s+-\s+-\s+-\s+1 active/);
  });

  it('exports the cost table while the runtime runs, and the report breaks it down per key with a chart', async () => {
    const out = join(dir, 'exports');
    const exported = capturingIo();
    await exportCosts(['--local', '--out', out], exported, env());
    expect(exported.stdout.join('')).toMatch(/from the running local runtime \(npm start, pid \d+\)/);

    const report = capturingIo();
    const chart = join(dir, 'spend.svg');
    await costReport([out, '--tenant', 'acme', '--format', 'json', '--chart', chart], report);
    const json = JSON.parse(report.stdout.join('')) as { total: { calls: number }; byKey: Array<{ tenant: string; key: string; calls: number }> };
    expect(json.total.calls).toBe(3);
    expect(json.byKey).toEqual([expect.objectContaining({ tenant: 'acme', key: keyId, calls: 3 })]);
    expect(await readFile(chart, 'utf8')).toContain('<svg');
  });

  it('redrive-dlq --local finds the queues of the running runtime', async () => {
    const io = capturingIo();
    await redriveCommand(['--local', '--dry-run'], io, env());
    expect(JSON.parse(io.stdout.join(''))).toEqual({ dryRun: true, inspected: 0, moved: 0, reset: 0, failed: 0, skipped: 0, stopped: 'empty' });
  });

  it('writes one access-log line per request without prompts or keys', () => {
    const chat = accessLog.filter((line) => line.includes('POST /v1/chat/completions 200'));
    expect(chat.length).toBeGreaterThanOrEqual(3);
    expect(chat[0]).toMatch(/^\S+Z POST \/v1\/chat\/completions 200 model=\S+ attempts=1 cache=miss cost=\$0\.\d+ \d+ms id=\S+$/);
    const all = accessLog.join('\n');
    expect(all).not.toContain('operator test');
    expect(all).not.toContain(key);
    expect(all).not.toContain(stack.apiKey);
  });

  it('as a process: npm run admin -- tenants list --local finds the runtime by itself', async () => {
    const { stdout } = await run(process.execPath, ['cli/admin.ts', 'tenants', 'list', '--local'], { env: { ...process.env, ...env() } });
    expect(stdout).toMatch(/^acme\s+Acme Inc/m);
  });
});

describe('when runtime.json names a process that is gone', () => {
  it('falls back to the data folder and, as npm start still holds it, says so in one line', async () => {
    const gone = await run(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeRuntimeFile(dataDir, { ...runtimeInfoOf(stack, dataDir), pid: Number(gone.stdout) });
    const failure = await exportCosts(['--local', '--out', join(dir, 'never')], capturingIo(), env()).then(() => undefined, (e: unknown) => e);
    const line = describeError(failure);
    expect(line).toMatch(/^error: could not open .*dynamodb \(another process holds it\), and .*runtime\.json names no running npm start; pass --endpoint/);
    expect(line).not.toContain('\n');
    writeRuntimeFile(dataDir, runtimeInfoOf(stack, dataDir));
  });
});
