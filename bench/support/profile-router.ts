// A CPU profile of the router process under load: the mock upstream and the local runtime (stand-ins
// in their own process) as in bench/overhead.ts, the router started with --cpu-prof, then
// BENCH_REQUESTS non-streamed calls on BENCH_CONNECTIONS connections (4 by default; 1 shows the path of
// one call alone, as the added-p50 row measures it); prints the functions with the most self time.
// Run: npx node bench/support/profile-router.ts   (profile written to bench/results/profile/)
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const requests = Number(process.env['BENCH_REQUESTS'] ?? 2000);
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 4);
const dir = resolve('bench/results/profile');
mkdirSync(dir, { recursive: true });

function child<T>(script: string, env: NodeJS.ProcessEnv = {}, execArgv: string[] = []): Promise<{ proc: ChildProcess; ready: T }> {
  const proc = fork(fileURLToPath(new URL(script, import.meta.url)), [], { env: { ...process.env, ...env }, execArgv: [...process.execArgv, ...execArgv], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { ready?: T }) => resolve({ proc, ready: (m.ready ?? m) as T }));
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)}`)));
  });
}

const mock = await child<{ url: string }>('./mock-upstream.ts');
const router = await child<{ baseUrl: string; apiKey: string }>('./overhead-router.ts', { MOCK_URL: mock.ready.url }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
const url = `${router.ready.baseUrl}/chat/completions`;
// Loaded by autocannon, as bench/overhead.ts's throughput rows: a fetch loop would take about three
// times its CPU per request from the two cores the router and its stand-ins share.
const result = await autocannon({
  url, method: 'POST', connections, amount: requests,
  headers: { 'content-type': 'application/json', authorization: `Bearer ${router.ready.apiKey}` },
  body: JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'Say hello.' }] }),
});
if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} answers not 2xx, ${result.errors} errors`);
const routerPid = router.proc.pid!;
const exited = new Promise((resolve) => router.proc.once('exit', resolve));
router.proc.send('close');
await exited;
mock.proc.kill();

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number }
// The router's own profile: its children (the stand-ins, the store proxy) inherit --cpu-prof and write theirs beside it.
const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${routerPid}.`)).map((f) => join(dir, f)).sort().at(-1)!;
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const self = new Map<string, number>();
const byArea = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  total += node.hitCount;
  const where = node.callFrame.url.replace(/^.*node_modules\//, 'npm:').replace(/^file:\/\/.*?\/(functions|local|bench)\//, '$1/');
  const key = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + node.hitCount);
  const area = where.startsWith('npm:') ? where.slice(4).split('/').slice(0, where.slice(4).startsWith('@') ? 2 : 1).join('/') : where.split('/').slice(0, 2).join('/') || node.callFrame.functionName;
  byArea.set(area, (byArea.get(area) ?? 0) + node.hitCount);
}
const pct = (n: number): string => `${((100 * n) / total).toFixed(1)}%`;
console.log(`router process profile: ${requests} non-stream requests on ${connections} connections, ${file}`);
console.log('self time by area:');
for (const [k, v] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(v).padStart(6)} ${k}`);
console.log('top functions by self time:');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${pct(v).padStart(6)} ${k}`);
