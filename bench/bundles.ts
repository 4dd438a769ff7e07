// Per function: bundle size (esbuild metafile, the stack's own settings from
// lib/constructs/function-bundle.ts) and module initialisation time on Node 24 as a proxy for cold start.
// The AWS SDK is bundled, as in the stack, so its size and load time are in the figures.
// Bundles are split (ESM): "shipped" is every .mjs file of the function; "at init" is index.mjs and the
// chunks it imports statically, i.e. what a cold start reads; lazy chunks load on first use.
// Run: npx node bench/bundles.ts   (BENCH_INIT_RUNS=15 by default; BENCH_SDK_EXTERNAL=1 leaves
// @aws-sdk/* external, loaded from node_modules as the runtime's own copy would be, for comparison)
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { functionBuildOptions } from '../lib/constructs/function-bundle.ts';
import { percentile } from './stats.ts';

const functions = (process.env['BENCH_FUNCTIONS'] ?? 'router,jobs-api,authorizer,health-check,batch-worker').split(',');
const runs = Number(process.env['BENCH_INIT_RUNS'] ?? 15);
const sdkExternal = process.env['BENCH_SDK_EXTERNAL'] === '1';
const outRoot = resolve(sdkExternal ? 'bench/results/bundles-sdk-external' : 'bench/results/bundles');

// Installs a minimal `awslambda` global (streaming handlers call it at import), then times the import
// of the bundle inside a fresh Node 24 process: wall time (performance.now) and the CPU time the process
// spent meanwhile (process.cpuUsage, user + system), which a loaded machine disturbs much less.
const initScript = (file: string) => `
globalThis.awslambda ??= { streamifyResponse: (f) => f, HttpResponseStream: { from: (s) => s } };
const c0 = process.cpuUsage();
const t0 = performance.now();
await import(${JSON.stringify(`file://${file}`)});
const wall = performance.now() - t0;
const cpu = process.cpuUsage(c0);
console.log(wall, (cpu.user + cpu.system) / 1000);
`;

/** Bytes of index.mjs and of every chunk reachable from it through static imports. */
function initBytes(metafile: Metafile, outdir: string): number {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of metafile.outputs[file]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  const entry = Object.keys(metafile.outputs).find((f) => f.endsWith('index.mjs') && resolve(f).startsWith(outdir))!;
  visit(entry);
  return [...seen].reduce((sum, f) => sum + metafile.outputs[f]!.bytes, 0);
}

const rows: string[] = [];
for (const name of functions) {
  const outdir = join(outRoot, name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    ...functionBuildOptions(resolve(`functions/handlers/${name}.ts`), outdir),
    ...(sdkExternal ? { external: ['@aws-sdk/*'] } : {}),
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  const shipped = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
  const atInit = initBytes(result.metafile, outdir);
  const times: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', initScript(join(outdir, 'index.mjs'))], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`init of ${name} failed: ${run.stderr}`);
    const [wall, cpu] = run.stdout.trim().split('\n').at(-1)!.split(' ').map(Number);
    times.push(wall!);
    cpus.push(cpu!);
  }
  const cell = (n: number): string => n.toFixed(1).padStart(8);
  rows.push(`| ${name.padEnd(12)} | ${cell(shipped / 1024)} | ${cell(atInit / 1024)} | ${String(outputs.length).padStart(6)} | ${cell(percentile(times, 0.5))} | ${cell(percentile(times, 0.9))} | ${cell(percentile(cpus, 0.5))} |`);
}
console.log(`bundles (esbuild, ESM split, minified, @aws-sdk ${sdkExternal ? 'external' : 'bundled'}) and module init on Node ${process.version}, ${runs} runs each; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
console.log('| function     | shipped KiB | at init KiB | files | init p50 ms | init p90 ms | init CPU p50 ms |');
console.log('|--------------|---------:|---------:|------:|---------:|---------:|---------:|');
for (const row of rows) console.log(row);
