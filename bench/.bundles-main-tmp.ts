// Per function: bundle size (esbuild metafile, same settings as the stack's RouterFunction) and module
// initialisation time on Node 24 as a proxy for cold start. The AWS SDK is bundled, as in the stack
// (bundleAwsSDK: the versions pinned in package-lock.json), so its size and load time are in the figures.
// Run: npx node bench/bundles.ts   (BENCH_INIT_RUNS=15 by default; BENCH_SDK_EXTERNAL=1 leaves
// @aws-sdk/* external, loaded from node_modules as the runtime's own copy would be, for comparison)
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { percentile } from './stats.ts';

const functions = (process.env['BENCH_FUNCTIONS'] ?? 'router,authorizer,health-check,batch-worker').split(',');
const runs = Number(process.env['BENCH_INIT_RUNS'] ?? 15);
const sdkExternal = process.env['BENCH_SDK_EXTERNAL'] === '1';
const outRoot = resolve(sdkExternal ? 'bench/results/bundles-sdk-external' : 'bench/results/bundles-main');
const banner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

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

const rows: string[] = [];
for (const name of functions) {
  const outdir = join(outRoot, name);
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: [`functions/handlers/${name}.ts`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    sourcemap: true,
    mainFields: ['module', 'main'],
    ...(sdkExternal ? { external: ['@aws-sdk/*'] } : {}),
    banner: { js: banner },
    outfile: join(outdir, 'index.mjs'),
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('index.mjs'))!;
  const bytes = output[1].bytes;
  const inputs = Object.keys(output[1].inputs).length;
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
  rows.push(`| ${name.padEnd(12)} | ${cell(bytes / 1024)} | ${String(inputs).padStart(6)} | ${cell(percentile(times, 0.5))} | ${cell(percentile(times, 0.9))} | ${cell(percentile(cpus, 0.5))} |`);
}
console.log(`bundles (esbuild, ESM, minified, @aws-sdk ${sdkExternal ? 'external' : 'bundled'}) and module init on Node ${process.version}, ${runs} runs each; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
console.log('| function     | size KiB | inputs | init p50 ms | init p90 ms | init CPU p50 ms |');
console.log('|--------------|---------:|-------:|---------:|---------:|---------:|');
for (const row of rows) console.log(row);
