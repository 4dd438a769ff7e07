// What the files API's S3 adapter costs the router bundle: the router built as the stack builds it,
// once as is and once with the S3 adapter replaced by an empty module, then module init timed in fresh
// Node processes, the two bundles alternating so machine load hits both alike.
// `npx node bench/files-s3-in-router.ts` (BENCH_INIT_RUNS, default 15).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { percentile } from './stats.ts';

const runs = Number(process.env['BENCH_INIT_RUNS'] ?? 15);
const outRoot = resolve('bench/results/files-s3');
const banner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** Replaces the S3 file store (and so the S3 SDK) with an empty module. */
const withoutS3: Plugin = {
  name: 'without-s3',
  setup(b) {
    b.onResolve({ filter: /s3-file-store\.ts$/ }, () => ({ path: 's3-stub', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export class S3FileStore {}', loader: 'js' }));
  },
};

async function bundle(name: string, plugins: Plugin[]): Promise<{ file: string; kib: number }> {
  const outfile = join(outRoot, name, 'index.mjs');
  mkdirSync(join(outRoot, name), { recursive: true });
  const result = await build({
    entryPoints: ['functions/handlers/router.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node24', minify: true,
    sourcemap: true, mainFields: ['module', 'main'], banner: { js: banner }, outfile, metafile: true, logLevel: 'silent', plugins,
  });
  const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('index.mjs'))!;
  return { file: outfile, kib: output[1].bytes / 1024 };
}

const initScript = (file: string) => `
globalThis.awslambda ??= { streamifyResponse: (f) => f, HttpResponseStream: { from: (s) => s } };
const t0 = performance.now();
await import(${JSON.stringify(`file://${file}`)});
console.log(performance.now() - t0);
`;

const variants = [{ name: 'with S3 adapter', ...(await bundle('with', [])) }, { name: 'without', ...(await bundle('without', [withoutS3])) }];
const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
for (let i = 0; i < runs; i += 1) {
  for (const variant of variants) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', initScript(variant.file)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`init failed: ${run.stderr}`);
    times.get(variant.name)!.push(Number(run.stdout.trim().split('\n').at(-1)));
  }
}
console.log(`router bundle, ${runs} alternating init runs each on Node ${process.version}`);
console.log('| router bundle   | size KiB | init p50 ms | init p90 ms |');
console.log('|-----------------|---------:|------------:|------------:|');
for (const v of variants) {
  const t = times.get(v.name)!;
  console.log(`| ${v.name.padEnd(15)} | ${v.kib.toFixed(1).padStart(8)} | ${percentile(t, 0.5).toFixed(1).padStart(11)} | ${percentile(t, 0.9).toFixed(1).padStart(11)} |`);
}
