// Per function: bundle size (esbuild metafile, same settings as the stack's RouterFunction) and module
// initialisation time on Node 24 as a proxy for cold start. The AWS SDK is bundled, as in the stack
// (bundleAwsSDK: the versions pinned in package-lock.json), so its size and load time are in the figures.
// Run: npx node bench/bundles.ts   (BENCH_INIT_RUNS=15 by default; BENCH_SDK_EXTERNAL=1 leaves
// @aws-sdk/* external, loaded from node_modules as the runtime's own copy would be, for comparison)
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { percentile } from './stats.ts';

const functions = ['router', 'authorizer', 'health-check', 'batch-worker'];
const runs = Number(process.env['BENCH_INIT_RUNS'] ?? 15);
const sdkExternal = process.env['BENCH_SDK_EXTERNAL'] === '1';
const outRoot = resolve(sdkExternal ? 'bench/results/bundles-sdk-external' : 'bench/results/bundles');
const banner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

// Installs a minimal `awslambda` global (streaming handlers call it at import), then times the import.
const initScript = (file: string) => `
globalThis.awslambda ??= { streamifyResponse: (f) => f, HttpResponseStream: { from: (s) => s } };
const t0 = performance.now();
await import(${JSON.stringify(`file://${file}`)});
console.log(performance.now() - t0);
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
  for (let i = 0; i < runs; i += 1) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', initScript(join(outdir, 'index.mjs'))], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`init of ${name} failed: ${run.stderr}`);
    times.push(Number(run.stdout.trim().split('\n').at(-1)));
  }
  rows.push(`| ${name.padEnd(12)} | ${(bytes / 1024).toFixed(1).padStart(8)} | ${String(inputs).padStart(6)} | ${percentile(times, 0.5).toFixed(1).padStart(8)} | ${percentile(times, 0.9).toFixed(1).padStart(8)} |`);
}
console.log(`bundles (esbuild, ESM, minified, @aws-sdk ${sdkExternal ? 'external' : 'bundled'}) and module init on Node ${process.version}, ${runs} runs each`);
console.log('| function     | size KiB | inputs | init p50 ms | init p90 ms |');
console.log('|--------------|---------:|-------:|---------:|---------:|');
for (const row of rows) console.log(row);
