// Router overhead beside Portkey's gateway, in one run: a mock OpenAI-compatible upstream that
// answers at once, the llm-router local runtime (cost records on, stand-ins in their own process)
// and Portkey 1.15.2 (installed outside the repo, see support/portkey.ts), each in its own process;
// this process only sends the load. Then the store round trips per request kind and when each
// happens relative to the upstream call and the response (through a second runtime whose store calls
// pass a noting proxy; the latency and throughput rows have no proxy in the path).
// Run: npx node bench/overhead.ts   (BENCH_REQUESTS=300 per latency row, BENCH_SECONDS=8 per throughput round,
// BENCH_ROUNDS=2 throughput rounds per gateway (alternating), BENCH_WARMUP_SECONDS=3 of unmeasured load on
// each gateway first, BENCH_ONLY=stores for the store round trips alone, BENCH_SETTLE=1 see settled())
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startPortkey } from './support/portkey.ts';
import type { StoreCall } from './support/store-proxy.ts';
import { percentile } from './stats.ts';

const requests = Number(process.env['BENCH_REQUESTS'] ?? 300);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 8);
/** Throughput rounds per gateway, alternating router and Portkey (the issue's figures pool two rounds). */
const throughputRounds = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 2));
/** Seconds of unmeasured 10-connection load on each gateway before its first round (JIT, heap sizing). */
const warmupSeconds = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 3);
/** BENCH_ONLY=stores: only the store round trips per request kind (no latency or throughput rows). */
const storesOnly = process.env['BENCH_ONLY'] === 'stores';

function child<T>(script: string, env: NodeJS.ProcessEnv = {}): Promise<{ proc: ChildProcess; ready: T }> {
  const proc = fork(fileURLToPath(new URL(script, import.meta.url)), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { ready?: T; url?: string }) => resolve({ proc, ready: (m.ready ?? m) as T }));
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)}`)));
  });
}

const mock = await child<{ url: string }>('./support/mock-upstream.ts');
const arrivals: number[] = [];
mock.proc.on('message', (m: { arrival?: number }) => { if (m.arrival) arrivals.push(m.arrival); });
type RouterReady = { baseUrl: string; apiKey: string; budgetKey: string; standInsPid: number };
/** The local runtime; with `proxied`, its store calls pass the noting proxy (the store table only). */
const startRouter = (proxied: boolean): Promise<{ proc: ChildProcess; ready: RouterReady }> =>
  child<RouterReady>('./support/overhead-router.ts', { MOCK_URL: mock.ready.url, STORE_PROXY: proxied ? '1' : '0' });
function closeRouter(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => { proc.once('exit', () => resolve()); proc.send('close'); });
}
let router = await startRouter(storesOnly);
const portkey = await startPortkey();

interface Target { name: string; url: string; headers: Record<string, string> }
const json = { 'content-type': 'application/json' };
const targets: Target[] = [
  { name: 'direct', url: `${mock.ready.url}/v1/chat/completions`, headers: { ...json, authorization: 'Bearer mock-key' } },
  { name: 'llm-router', url: `${router.ready.baseUrl}/chat/completions`, headers: { ...json, authorization: `Bearer ${router.ready.apiKey}` } },
  { name: 'portkey', url: `${portkey.url}/v1/chat/completions`, headers: { ...json, authorization: 'Bearer mock-key', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${mock.ready.url}/v1` } },
];

let counter = 0;
function body(stream: boolean, extra: object = {}): string {
  counter += 1;
  return JSON.stringify({ model: 'mock-model', stream, messages: [{ role: 'user', content: `Say hello (${counter}).` }], ...extra });
}

/** One call; returns [time to first body byte, total] in ms. */
async function call(target: Target, payload: string): Promise<[number, number]> {
  const t0 = performance.now();
  const res = await fetch(target.url, { method: 'POST', headers: target.headers, body: payload });
  if (res.status !== 200) throw new Error(`${target.name}: HTTP ${res.status} ${await res.text()}`);
  const reader = res.body!.getReader();
  let first = Number.NaN;
  for (;;) {
    const { done } = await reader.read();
    if (Number.isNaN(first)) first = performance.now() - t0;
    if (done) break;
  }
  return [first, performance.now() - t0];
}

/**
 * Resolves once the router's invocations in flight finished, bookkeeping after the response included.
 * With BENCH_SETTLE=1 the latency rows wait for it between two calls to the router, as one Lambda
 * instance does between two invocations (it takes the next only when the handler's promise resolved);
 * without it, a call may overlap the previous call's bookkeeping in the one local process.
 */
function settled(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: { settled?: boolean }): void => {
      if (!m.settled) return;
      router.proc.off('message', onMessage);
      resolve();
    };
    router.proc.on('message', onMessage);
    router.proc.send('settled');
  });
}
const settleBetween = process.env['BENCH_SETTLE'] === '1';

async function latencies(target: Target, stream: boolean): Promise<{ ttfb: number[]; total: number[] }> {
  for (let i = 0; i < 50; i++) await call(target, body(stream));
  const ttfb: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < requests; i++) {
    if (settleBetween && target.name === 'llm-router') await settled();
    const [f, t] = await call(target, body(stream));
    ttfb.push(f);
    total.push(t);
  }
  return { ttfb, total };
}

/** CPU seconds (user + system) a process has used so far, from /proc; with `mainThread`, its main thread's alone. */
function cpuSeconds(pid: number, mainThread = false): number {
  const fields = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU ms per request of each process taking part in a throughput row (where the machine's two cores go). */
interface CpuSplit { gateway: number; standIns?: number; mock: number; loadGenerator: number }
/** `mainThreadBusy`: the share of the row's time the gateway's main (JavaScript) thread was on a CPU. */
interface Throughput { rps: number; cpuMsPerRequest: number; requests: number; durationS: number; split: CpuSplit; backlogMs: number; mainThreadBusy: number }

/**
 * `settle`: the router's bookkeeping after its last responses is counted in its CPU too. The load comes
 * from autocannon (as in the issue's measurements): 10 connections, each sending its next request as
 * soon as the previous answer arrived. A fetch loop would spend about three times its CPU per request
 * on this machine's two cores, CPU the gateway and its stand-ins then cannot use.
 */
async function throughput(target: Target, pid: number, settle?: () => Promise<void>, standInsPid?: number): Promise<Throughput> {
  const cpu0 = cpuSeconds(pid);
  const main0 = cpuSeconds(pid, true);
  const standIns0 = standInsPid ? cpuSeconds(standInsPid) : 0;
  const mock0 = cpuSeconds(mock.proc.pid!);
  const self0 = process.cpuUsage();
  const result = await autocannon({
    url: target.url, method: 'POST', headers: target.headers, body: body(false), connections: 10, duration: seconds,
  });
  const self = process.cpuUsage(self0);
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${target.name}: ${result.non2xx} answers not 2xx, ${result.errors} errors, ${result.timeouts} timeouts under load`);
  }
  // Bookkeeping still to do when the load stops (cost records waiting for the store): a backlog here
  // would mean the store did not keep up and the req/s overstates what the runtime sustains.
  const settleStart = performance.now();
  await settle?.();
  const backlogMs = performance.now() - settleStart;
  const done = result.requests.total;
  const perRequest = (cpuS: number): number => (cpuS * 1000) / done;
  const split: CpuSplit = {
    gateway: perRequest(cpuSeconds(pid) - cpu0),
    ...(standInsPid ? { standIns: perRequest(cpuSeconds(standInsPid) - standIns0) } : {}),
    mock: perRequest(cpuSeconds(mock.proc.pid!) - mock0),
    loadGenerator: (self.user + self.system) / 1000 / done,
  };
  const durationS = result.duration || seconds;
  const mainThreadBusy = (cpuSeconds(pid, true) - main0) / (durationS + backlogMs / 1000);
  return { rps: done / durationS, cpuMsPerRequest: split.gateway, requests: done, durationS, split, backlogMs, mainThreadBusy };
}

/** Several rounds of one gateway as one: req/s over their whole time, CPU per request over all their requests. */
function pooled(rounds: Throughput[]): Throughput {
  const requests = rounds.reduce((sum, t) => sum + t.requests, 0);
  const durationS = rounds.reduce((sum, t) => sum + t.durationS, 0);
  const mean = (pick: (t: Throughput) => number | undefined): number => rounds.reduce((sum, t) => sum + (pick(t) ?? 0) * t.requests, 0) / requests;
  const split: CpuSplit = {
    gateway: mean((t) => t.split.gateway),
    ...(rounds[0]!.split.standIns !== undefined ? { standIns: mean((t) => t.split.standIns) } : {}),
    mock: mean((t) => t.split.mock),
    loadGenerator: mean((t) => t.split.loadGenerator),
  };
  const mainThreadBusy = rounds.reduce((sum, t) => sum + t.mainThreadBusy * t.durationS, 0) / durationS;
  return { rps: requests / durationS, cpuMsPerRequest: split.gateway, requests, durationS, split, backlogMs: Math.max(...rounds.map((t) => t.backlogMs)), mainThreadBusy };
}

/** Unmeasured load on a gateway before its throughput rounds (both gateways get the same). */
async function warmUp(target: Target): Promise<void> {
  if (warmupSeconds <= 0) return;
  await autocannon({ url: target.url, method: 'POST', headers: target.headers, body: body(false), connections: 10, duration: warmupSeconds });
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);

/** Store round trips one after another among `calls`: a call sent after an earlier one of its wave answered starts a new wave. */
function sequentialRoundTrips(calls: StoreCall[]): number {
  let waves = 0;
  let firstAnswer = -Infinity;
  for (const c of [...calls].sort((a, b) => a.at - b.at)) {
    if (c.at >= firstAnswer) {
      waves += 1;
      firstAnswer = c.done || Infinity;
    } else {
      firstAnswer = Math.min(firstAnswer, c.done || Infinity);
    }
  }
  return waves;
}
/** Where the run is, on stderr (a run takes about a minute; the table comes at the end). */
const progress = (step: string): void => { process.stderr.write(`overhead: ${new Date().toISOString().slice(11, 19)} ${step}\n`); };
const load = (): string => loadavg().map((n) => n.toFixed(2)).join(' ');
const out: string[] = [`overhead: Node ${process.version}, ${requests} requests per latency row${settleBetween ? ' (router: each after the previous invocation settled)' : ''}, ${seconds} s per throughput row, mock upstream answering at once, cost batch window ${process.env['ROUTER_COST_BATCH_MS'] ?? '20 (npm start\'s)'} ms; load average at start ${load()}`];
try {
  const [direct, routed, pk] = [targets[0]!, targets[1]!, targets[2]!];
  if (!storesOnly) {
    progress('latency rows');
    const json1 = { direct: await latencies(direct, false), router: await latencies(routed, false), portkey: await latencies(pk, false) };
    const stream1 = { direct: await latencies(direct, true), router: await latencies(routed, true), portkey: await latencies(pk, true) };
    const addedJson = (s: { total: number[] }): number => percentile(s.total, 0.5) - percentile(json1.direct.total, 0.5);
    const addedTtfb = (s: { ttfb: number[] }): number => percentile(s.ttfb, 0.5) - percentile(stream1.direct.ttfb, 0.5);
    await settled();
    progress(`throughput: warm-up, ${warmupSeconds} s per gateway`);
    await warmUp(routed);
    await settled();
    await warmUp(pk);
    const routerRounds: Throughput[] = [];
    const portkeyRounds: Throughput[] = [];
    for (let round = 1; round <= throughputRounds; round++) {
      progress(`throughput round ${round}: llm-router`);
      routerRounds.push(await throughput(routed, router.proc.pid!, settled, router.ready.standInsPid));
      progress(`throughput round ${round}: Portkey`);
      portkeyRounds.push(await throughput(pk, portkey.process.pid!));
    }
    const tRouter = pooled(routerRounds);
    const tPortkey = pooled(portkeyRounds);
    out.push('', '| cell | llm-router | Portkey 1.15.2 | ratio (router / Portkey) | goal |', '|---|---:|---:|---:|---|');
    out.push(`| non-stream, 1 connection: added p50 (ms) | ${fmt(addedJson(json1.router))} | ${fmt(addedJson(json1.portkey))} | ${fmt(addedJson(json1.router) / addedJson(json1.portkey))} | ≤ 1 |`);
    out.push(`| non-stream, 10 connections: req/s | ${fmt(tRouter.rps, 0)} | ${fmt(tPortkey.rps, 0)} | ${fmt(tRouter.rps / tPortkey.rps)} | ≥ 1 |`);
    out.push(`| stream, 1 connection: added time to first byte p50 (ms) | ${fmt(addedTtfb(stream1.router))} | ${fmt(addedTtfb(stream1.portkey))} | ${fmt(addedTtfb(stream1.router) / addedTtfb(stream1.portkey))} | ≤ 0.1 |`);
    out.push(`| CPU per request, gateway process only (ms) | ${fmt(tRouter.cpuMsPerRequest)} | ${fmt(tPortkey.cpuMsPerRequest)} | ${fmt(tRouter.cpuMsPerRequest / tPortkey.cpuMsPerRequest)} | router ≤ 1 ms |`);
    out.push(`(load average after the latency and throughput rows: ${load()}; a shared machine: CPU per request is the steadier figure)`);
    const split = (t: { split: CpuSplit }): string => `gateway ${fmt(t.split.gateway)}${t.split.standIns !== undefined ? ` + stand-ins ${fmt(t.split.standIns)}` : ''}, mock upstream ${fmt(t.split.mock)}, load generator ${fmt(t.split.loadGenerator)}`;
    out.push(`(10-connection rows: ${throughputRounds} rounds of ${seconds} s per gateway, alternating, after ${warmupSeconds} s of unmeasured load on each; req/s over all rounds; per round: llm-router ${routerRounds.map((t) => fmt(t.rps, 0)).join(', ')}, Portkey ${portkeyRounds.map((t) => fmt(t.rps, 0)).join(', ')})`);
    out.push(`(CPU ms per request in the 10-connection rows, by process: llm-router ${split(tRouter)}; Portkey ${split(tPortkey)})`);
    out.push(`(main thread on a CPU during those rows: llm-router ${fmt(100 * tRouter.mainThreadBusy, 0)}%, Portkey ${fmt(100 * tPortkey.mainThreadBusy, 0)}%; a gateway near 100% is bound by its own CPU, one below by the round trip of the loop)`);
    out.push(`(llm-router's bookkeeping still running when the load stopped: ${fmt(tRouter.backlogMs, 0)} ms until every invocation had ended)`);
    out.push(`(direct: non-stream p50 ${fmt(percentile(json1.direct.total, 0.5))} ms, stream first byte p50 ${fmt(percentile(stream1.direct.ttfb, 0.5))} ms; llm-router CPU excludes its stand-ins' process)`);
  }

  // Store round trips per request kind, sequential so that each store call belongs to one request,
  // through a fresh runtime whose store calls pass the noting proxy.
  if (!storesOnly) {
    progress('store round trips: restarting the runtime behind the noting proxy');
    await closeRouter(router.proc);
    router = await startRouter(true);
    routed.url = `${router.ready.baseUrl}/chat/completions`;
    routed.headers = { ...routed.headers, authorization: `Bearer ${router.ready.apiKey}` };
  }
  /** The store calls since the last take, and when the router finished writing each response since. */
  const takeCalls = (): Promise<{ calls: StoreCall[]; responsesEnded: number[] }> => new Promise((resolve) => {
    router.proc.once('message', (m: { calls: StoreCall[]; responsesEnded: number[] }) => resolve(m));
    router.proc.send('calls');
  });
  const kinds: Array<{ name: string; key: string; extra: (i: number) => object }> = [
    { name: 'plain', key: router.ready.apiKey, extra: () => ({}) },
    { name: 'budgeted', key: router.ready.budgetKey, extra: () => ({}) },
    { name: 'cacheable miss', key: router.ready.apiKey, extra: (i) => ({ temperature: 0, messages: [{ role: 'user', content: `Unique question ${i} ${Math.random()}` }] }) },
    { name: 'cache hit', key: router.ready.apiKey, extra: () => ({ temperature: 0, messages: [{ role: 'user', content: 'The same question every time.' }] }) },
  ];
  out.push('', '| request kind | store calls per request | before the upstream call | round trips before the upstream call | during the upstream call and response | after the response ended | operations (per request) |', '|---|---:|---:|---:|---:|---:|---|');
  await call({ ...routed, headers: { ...routed.headers } }, body(false, kinds[3]!.extra(0)));
  // From here the mock notes every arrival (when the upstream call started); not during the load rows.
  mock.proc.send('arrivals');
  for (const kind of kinds) {
    progress(`store round trips: ${kind.name}`);
    const target = { ...routed, headers: { ...routed.headers, authorization: `Bearer ${kind.key}` } };
    await call(target, body(false, kind.extra(-1)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await takeCalls();
    arrivals.splice(0);
    const windows: Array<{ start: number; end: number; upstream?: number }> = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.timeOrigin + performance.now();
      const before = arrivals.length;
      await call(target, body(false, kind.extra(i)));
      const end = performance.timeOrigin + performance.now();
      // The invocation ends after its bookkeeping: wait for that (and the mock's arrival note) before the next request.
      await settled();
      await new Promise((resolve) => setTimeout(resolve, 5));
      windows.push({ start, end, ...(arrivals.length > before ? { upstream: arrivals[before]! } : {}) });
    }
    const { calls, responsesEnded } = await takeCalls();
    // The end of each response as the router saw it (its last byte written), not as the client read it.
    for (const w of windows) w.end = responsesEnded.find((t) => t >= w.start) ?? w.end;
    let before = 0;
    let during = 0;
    let after = 0;
    const beforeCalls = new Map<(typeof windows)[number], StoreCall[]>();
    const operations = new Map<string, number>();
    for (const c of calls) {
      const name = `${c.operation}(${c.table.replace(/^llm-router-?/, '').replace(/^local-?/, '') || '?'})`;
      operations.set(name, (operations.get(name) ?? 0) + 1);
      const w = windows.findLast((x) => x.start <= c.at);
      if (!w) continue;
      const isBefore = w.upstream !== undefined ? c.at < w.upstream : c.at <= w.end;
      if (isBefore) beforeCalls.set(w, [...(beforeCalls.get(w) ?? []), c]);
      if (isBefore) before += 1;
      else if (c.at <= w.end) during += 1;
      else after += 1;
    }
    const roundTrips = [...beforeCalls.values()].reduce((sum, list) => sum + sequentialRoundTrips(list), 0);
    const per = (n: number): string => fmt(n / windows.length, 1);
    const ops = [...operations].map(([op, n]) => `${op} ${per(n)}`).join(', ');
    out.push(`| ${kind.name} | ${per(before + during + after)} | ${per(before)} | ${per(roundTrips)} | ${per(during)} | ${per(after)} | ${ops} |`);
  }
  out.push('(a cache hit never calls the upstream: its store calls before the response ended are counted as "before"; round trips: calls sent while another was still waiting for its answer share one (they run in parallel), a call sent after an answer came back starts the next; "after the response ended" = sent after the router wrote the last byte of the answer; health writes are batched per model every 5 s, so they show as fractions)');
  // Under load, invocations of one process share their cost writes (the ledger's group commit).
  progress('cost records per transaction under load');
  await settled();
  await takeCalls();
  const burst = await throughput(routed, router.proc.pid!, settled);
  const { calls: loadCalls } = await takeCalls();
  const costWrites = loadCalls.filter((c) => c.operation === 'TransactWriteItems').length;
  out.push(`(plain requests on 10 connections, ${seconds} s: ${fmt(loadCalls.length / burst.requests)} store calls per request, ${fmt(burst.requests / Math.max(costWrites, 1), 1)} cost records per TransactWriteItems)`);
} finally {
  portkey.close();
  router.proc.send('close');
  mock.proc.kill();
}
console.log(out.join('\n'));
