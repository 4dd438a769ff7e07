// Memory under sustained load, in rounds: after each round the router's process and the stand-ins'
// process each report heap-after-GC and RSS, so growth in the router is told apart from data the
// stand-ins hold by design. The load mixes plain answers, streams, clients that leave mid-stream and
// calls that fail over (simulated providers fail SOAK_ERROR_RATE of calls, 0.1 by default).
// Run: npx node bench/soak.ts   (SOAK_ROUNDS=10 SOAK_REQUESTS=5000 SOAK_CONCURRENCY=10 SOAK_DATA_DIR=0|1
//      SOAK_SETTLE_MS=2000 SOAK_ERROR_RATE=0.1 SOAK_SNAPSHOTS=<folder>)
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const rounds = Number(process.env['SOAK_ROUNDS'] ?? 10);
// Work a response leaves behind (cost records, budget and health writes) settles before memory is read.
const settleMs = Number(process.env['SOAK_SETTLE_MS'] ?? 2_000);
const perRound = Number(process.env['SOAK_REQUESTS'] ?? 5_000);
const concurrency = Number(process.env['SOAK_CONCURRENCY'] ?? 10);

interface Memory { router: NodeJS.MemoryUsage; standIns: NodeJS.MemoryUsage & { rssAnon?: number; rssFile?: number } }

const child = fork(fileURLToPath(new URL('./soak-runtime.ts', import.meta.url)), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const ready = await new Promise<{ baseUrl: string; apiKey: string; dataDir: string | null }>((resolve, reject) => {
  child.once('message', (m: { ready?: { baseUrl: string; apiKey: string; dataDir: string | null } }) => (m.ready ? resolve(m.ready) : reject(new Error('no ready'))));
  child.once('exit', (code) => reject(new Error(`runtime exited ${String(code)}`)));
});
const measure = (): Promise<Memory> => new Promise((resolve, reject) => {
  child.once('message', (m: Memory & { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m)));
  child.send('measure');
});

type Kind = 'json' | 'stream' | 'abandoned stream';
const counts: Record<Kind | 'failed', number> = { json: 0, stream: 0, 'abandoned stream': 0, failed: 0 };
let sent = 0;
const statuses = new Map<number | string, number>();
let firstFailure: string | undefined;
function kindOf(n: number): Kind {
  const r = n % 10;
  return r < 5 ? 'json' : r < 8 ? 'stream' : 'abandoned stream';
}

async function call(n: number): Promise<void> {
  const kind = kindOf(n);
  const controller = new AbortController();
  const res = await fetch(`${ready.baseUrl}/chat/completions`, {
    method: 'POST',
    signal: controller.signal,
    headers: { authorization: `Bearer ${ready.apiKey}`, 'content-type': 'application/json' },
    // No temperature: nothing is cacheable, so the cache does not hide per-request state.
    body: JSON.stringify({
      model: 'cheap',
      max_tokens: kind === 'json' ? 16 : 64,
      stream: kind !== 'json',
      messages: [{ role: 'user', content: `Soak request ${n}: say something short.` }],
    }),
  });
  counts[kind] += 1;
  if (res.status !== 200) {
    counts.failed += 1;
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (!firstFailure) firstFailure = `${res.status} ${(await res.text()).slice(0, 300)}`;
    return;
  }
  if (kind === 'abandoned stream' && res.body) {
    const reader = res.body.getReader();
    await reader.read();
    controller.abort();
    await reader.cancel().catch(() => undefined);
    return;
  }
  await res.arrayBuffer();
}

async function round(): Promise<number> {
  const t0 = performance.now();
  const end = sent + perRound;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (sent < end) {
      const n = sent++;
      await call(n).catch((error: unknown) => {
        counts.failed += 1;
        const name = error instanceof Error ? error.name : 'error';
        statuses.set(name, (statuses.get(name) ?? 0) + 1);
        firstFailure ??= String(error);
      });
    }
  }));
  return performance.now() - t0;
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1).padStart(7);
const rows: string[] = [];
const heaps: number[] = [];
const idle = await measure();
rows.push(`| idle  | ${String(0).padStart(7)} |       – | ${mb(idle.router.heapUsed)} | ${mb(idle.router.external)} | ${mb(idle.router.rss)} | ${mb(idle.standIns.heapUsed)} | ${mb(idle.standIns.rss)} | ${mb(idle.standIns.rssAnon ?? Number.NaN)} | ${mb(idle.standIns.rssFile ?? Number.NaN)} |`);
for (let r = 1; r <= rounds; r++) {
  const ms = await round();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const m = await measure();
  heaps.push(m.router.heapUsed);
  rows.push(`| ${String(r).padStart(5)} | ${String(sent).padStart(7)} | ${(perRound / (ms / 1000)).toFixed(0).padStart(7)} | ${mb(m.router.heapUsed)} | ${mb(m.router.external)} | ${mb(m.router.rss)} | ${mb(m.standIns.heapUsed)} | ${mb(m.standIns.rss)} | ${mb(m.standIns.rssAnon ?? Number.NaN)} | ${mb(m.standIns.rssFile ?? Number.NaN)} |`);
  console.error(rows.at(-1));
}
child.send('close');

const half = heaps.slice(Math.floor(heaps.length / 2));
const growth = half.length > 1 ? (half.at(-1)! - half[0]!) / half[0]! : Number.NaN;
// Two end points can land on a high or a low round: the least-squares trend across the last half, as
// the change it predicts from its first to its last round, is less sensitive to one round.
const mean = half.reduce((a, b) => a + b, 0) / half.length;
const xMean = (half.length - 1) / 2;
const slope = half.reduce((a, y, x) => a + (x - xMean) * (y - mean), 0) / half.reduce((a, _, x) => a + (x - xMean) ** 2, 0);
const trend = (slope * (half.length - 1)) / mean;
console.log(`soak: ${rounds} rounds x ${perRound} requests, ${concurrency} connections, Node ${process.version}, data ${ready.dataDir ? 'on disk' : 'in memory'}`);
console.log(`mix: ${counts.json} json, ${counts.stream} streams, ${counts['abandoned stream']} abandoned streams; ${counts.failed} not 200 (failover exhausted)`);
if (statuses.size) console.log(`not 200: ${[...statuses].map(([status, n]) => `${String(status)} × ${n}`).join(', ')}; first: ${firstFailure ?? ''}`);
console.log('| round |   total |   req/s | router heap MB | router external MB | router RSS MB | stand-ins heap MB | stand-ins RSS MB | of which anonymous | of which file-backed (mapped tables) |');
console.log('|------:|--------:|--------:|------:|------:|------:|------:|------:|------:|------:|');
for (const row of rows) console.log(row);
console.log(`router heap-after-GC growth over the last half: ${(growth * 100).toFixed(2)}% (first to last round), trend ${(trend * 100).toFixed(2)}% (least squares), range ${mb(Math.min(...half)).trim()}–${mb(Math.max(...half)).trim()} MB`);
