// Every operator command answers --help with its options and an example, and turns one bad input
// into a one-line error (never a stack trace). These inputs all fail before any I/O: with --local they
// neither open nor create the local data folder.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { admin, commands as adminCommands } from '../../cli/admin.ts';
import { UsageError } from '../../cli/command.ts';
import { costReport } from '../../cli/cost-report.ts';
import { exportCosts } from '../../cli/export-costs.ts';
import { capturingIo, describeError } from '../../cli/io.ts';
import { redriveCommand } from '../../cli/redrive-dlq.ts';

const run = promisify(execFile);
type Runner = (argv: string[]) => Promise<void>;

const io = capturingIo();
// A data folder that must never come to exist (the default, .local-data, would be the repository's own).
const dataDir = join(tmpdir(), `cli-bad-input-${process.pid}-${Date.now()}`);
const noEnv = { ROUTER_DATA_DIR: dataDir };
const adminRun = (name: string): Runner => (argv) => admin([...name.split(' '), ...argv], io, noEnv);

interface Case { name: string; run: Runner; bad: string[]; error: RegExp; options: string[] }

const cases: Case[] = [
  { name: 'admin', run: (argv) => admin(argv, io, noEnv), bad: ['frobnicate'], error: /unknown command 'frobnicate'/, options: ['tenants show', 'new-key'] },
  { name: 'admin create-tenant', run: adminRun('create-tenant'), bad: ['bad id!', '--local'], error: /tenant id 'bad id!' must be/, options: ['--name <name>', '--local'] },
  { name: 'admin issue-key', run: adminRun('issue-key'), bad: ['--local'], error: /missing <tenant>/, options: ['--table <name>'] },
  { name: 'admin new-key', run: adminRun('new-key'), bad: ['acme'], error: /unexpected argument 'acme'/, options: ['--help'] },
  { name: 'admin revoke-key', run: adminRun('revoke-key'), bad: ['sk-lr-not-an-id', '--local'], error: /key id 'sk-lr-not-an-id' must look like key_/, options: ['--endpoint <url>'] },
  { name: 'admin set-budget', run: adminRun('set-budget'), bad: ['acme', 'ten', '--local'], error: /budget must be a non-negative number of USD, got 'ten'/, options: ['--key <keyId>', '--prefer-cheaper-at <0..1>'] },
  { name: 'admin list-keys', run: adminRun('list-keys'), bad: ['acme', '--locale'], error: /unknown option --locale/, options: ['--data-dir <dir>'] },
  { name: 'admin tenants list', run: adminRun('tenants list'), bad: ['--period', '2026-13', '--local'], error: /--period must look like 2026-11/, options: ['--period <yyyy-mm>'] },
  { name: 'admin tenants show', run: adminRun('tenants show'), bad: ['acme'], error: /no tenants table: add --local/, options: ['--period <yyyy-mm>'] },
  { name: 'export-costs', run: (argv) => exportCosts(argv, io, noEnv), bad: ['--bucket', 'my-exports'], error: /--table-arn and --bucket are required/, options: ['--table-arn <arn>', '--local', '--out <dir>'] },
  { name: 'cost-report', run: (argv) => costReport(argv, io), bad: ['exports', '--format', 'xml'], error: /--format: /, options: ['--chart <file.svg>', '--from <YYYY-MM-DD>', '--tenant <id>'] },
  { name: 'redrive-dlq', run: (argv) => redriveCommand(argv, io, noEnv), bad: ['--queue-url', 'q', '--dlq-url', 'd', '--no-reset', '--max', '0'], error: /--max must be a positive integer, got '0'/, options: ['--dry-run', '--local'] },
];

describe.each(cases)('$name', ({ run: command, bad, error, options }) => {
  it('answers --help with its usage, options and an example', async () => {
    io.stdout.length = 0;
    await command(['--help']);
    const help = io.stdout.join('\n');
    expect(help).toMatch(/^usage: npm run /);
    for (const option of options) expect(help).toContain(option);
    expect(help).toMatch(/\nexamples?:\n {2}\S/);
  });

  it('reports a bad input as one line naming the problem, with a pointer to --help', async () => {
    const failure = await command(bad).then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(UsageError);
    const line = describeError(failure);
    expect(line).toMatch(error);
    expect(line).toMatch(/^error: .*\(see: npm run .* --help\)$/);
    expect(line).not.toContain('\n');
    expect(existsSync(dataDir)).toBe(false);
  });
});

it('admin lists every command in its overview help', async () => {
  io.stdout.length = 0;
  await admin(['--help'], io, noEnv);
  for (const name of Object.keys(adminCommands)) expect(io.stdout.join('')).toContain(`  ${name} `);
});

it('admin new-key prints a key in the router format that is new each time', async () => {
  io.stdout.length = 0;
  await admin(['new-key'], io, noEnv);
  await admin(['new-key'], io, noEnv);
  expect(io.stdout[0]).toMatch(/^sk-lr-[A-Za-z0-9_-]{43}$/);
  expect(io.stdout[1]).not.toBe(io.stdout[0]);
});

describe('as processes', () => {
  const node = (script: string, argv: string[]) => run(process.execPath, [script, ...argv], { env: { PATH: process.env['PATH'] ?? '', ROUTER_DATA_DIR: dataDir } })
    .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);

  it.each([
    ['cli/admin.ts', ['set-budget', 'acme', '--local']],
    ['cli/export-costs.ts', ['--table-arn', 'nope', '--bucket', 'my-exports']],
    ['cli/cost-report.ts', ['exports', '--from', '30-11-2026']],
    ['cli/redrive-dlq.ts', ['--queue-url']],
  ])('%s with bad input: exit code 2 and exactly one line on stderr', async (script, argv) => {
    const result = await node(script, argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('--help exits 0 with the help on stdout', async () => {
    const result = await node('cli/cost-report.ts', ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run cost-report -- <location>/);
  });
});

describe('describeError', () => {
  const named = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...extra });

  it('turns the usual AWS and network failures into one line with the likely cause', () => {
    expect(describeError(named('CredentialsProviderError', 'Could not load credentials from any providers'))).toMatch(/^error: no AWS credentials found; .* add --local/);
    expect(describeError(named('ResourceNotFoundException', 'Requested resource not found'))).toMatch(/^error: AWS says the resource does not exist .* check the table name and AWS_REGION$/);
    expect(describeError(named('TypeError', 'fetch failed', { cause: { code: 'ECONNREFUSED' } }))).toMatch(/^error: nothing answers at the endpoint; is `npm start` still running\?/);
    expect(describeError(named('Error', 'connect ECONNREFUSED 127.0.0.1:4567', { code: 'ECONNREFUSED' }))).toContain('nothing answers at 127.0.0.1:4567');
  });

  it('keeps only the first line of any other message, and never a stack', () => {
    const error = new Error('first line\n  second line\n    at somewhere (file.ts:1:1)');
    expect(describeError(error)).toBe('error: first line');
    expect(describeError('a string')).toBe('error: a string');
  });
});
