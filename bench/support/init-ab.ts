// Interleaved A/B of module init: imports each bundle in turn in a fresh Node process, `runs` rounds,
// so every bundle sees the same machine load; prints wall and CPU (user + system) p50 of the import.
// Run: npx node bench/support/init-ab.ts 11 main=/path/a/index.mjs branch=/path/b/index.mjs ...
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { percentile } from '../stats.ts';

const [runsArg, ...pairs] = process.argv.slice(2);
const runs = Number(runsArg);
if (!Number.isInteger(runs) || runs < 1 || pairs.length === 0) throw new Error('usage: init-ab.ts <runs> <label>=<index.mjs> ...');
const script = (file: string) => `globalThis.awslambda ??= { streamifyResponse: (f) => f, HttpResponseStream: { from: (s) => s } };
const c0 = process.cpuUsage(); const t0 = performance.now(); await import(${JSON.stringify(`file://${file}`)});
const w = performance.now() - t0; const c = process.cpuUsage(c0); console.log(w, (c.user + c.system) / 1000);`;

const bundles = pairs.map((pair) => {
  const [label, file] = pair.split('=');
  return { label: label!, file: file!, wall: [] as number[], cpu: [] as number[] };
});
for (let i = 0; i < runs; i += 1) {
  for (const b of bundles) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script(b.file)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`import of ${b.file} failed: ${run.stderr}`);
    const [wall, cpu] = run.stdout.trim().split('\n').at(-1)!.split(' ').map(Number);
    b.wall.push(wall!);
    b.cpu.push(cpu!);
  }
}
console.log(`${runs} rounds on Node ${process.version}; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
for (const b of bundles) console.log(`${b.label.padEnd(24)} wall p50 ${percentile(b.wall, 0.5).toFixed(1).padStart(7)} ms   CPU p50 ${percentile(b.cpu, 0.5).toFixed(1).padStart(7)} ms`);
