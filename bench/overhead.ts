// Router overhead: latency through the local router (authorizer key lookup, routing, health snapshot,
// cache lookup and store, provider adapter, cost record in the DynamoDB stand-in) minus latency of
// calling the same simulated upstream directly.
// Run: npx node bench/overhead.ts   (BENCH_REQUESTS=400 per row, BENCH_CONCURRENCY=1,10,50)
import { startLocalStack } from '#local/local-stack.ts';
import { percentile, runConcurrent } from './stats.ts';

const requests = Number(process.env['BENCH_REQUESTS'] ?? 400);
const levels = (process.env['BENCH_CONCURRENCY'] ?? '1,10,50').split(',').map(Number);

type Mode = 'json' | 'stream' | 'json, cache miss';
let counter = 0;
// `cache miss` requests are cacheable (temperature 0) and unique, so each pays a lookup and a store.
function body(mode: Mode): string {
  counter += 1;
  const cacheable = mode === 'json, cache miss';
  return JSON.stringify({
    model: 'gpt-5.4',
    stream: mode === 'stream',
    ...(mode === 'stream' ? { stream_options: { include_usage: true } } : {}),
    ...(cacheable ? { temperature: 0 } : {}),
    messages: [{ role: 'user', content: `Summarise the benefits of a multi-model router in one paragraph.${cacheable ? ` (request ${counter})` : ''}` }],
  });
}

async function call(url: string, key: string, payload: string): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: payload });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

const stack = await startLocalStack({
  port: 0,
  env: {},
  // Zero simulated think time and a fast pace, so the figures show the router's cost, not the model's.
  simulated: { latencyMs: 0, tokensPerSecond: 1_000_000, errorRate: 0 },
});
try {
  const direct = `${stack.simulatedUpstreams.openaiCompatible}/chat/completions`;
  const routed = `${stack.baseUrl}/chat/completions`;
  const fmt = (n: number) => n.toFixed(1).padStart(6);
  const rows: string[] = [];
  for (const mode of ['json', 'stream', 'json, cache miss'] as const) {
    for (const concurrency of levels) {
      await runConcurrent(50, concurrency, () => call(direct, 'simulated', body(mode)));
      await runConcurrent(50, concurrency, () => call(routed, stack.apiKey, body(mode)));
      const d = await runConcurrent(requests, concurrency, () => call(direct, 'simulated', body(mode)));
      const r = await runConcurrent(requests, concurrency, () => call(routed, stack.apiKey, body(mode)));
      rows.push(`| ${mode.padEnd(16)} | ${String(concurrency).padStart(2)} | ${fmt(percentile(d, 0.5))} | ${fmt(percentile(d, 0.99))} | ${fmt(percentile(r, 0.5))} | ${fmt(percentile(r, 0.99))} | ${fmt(percentile(r, 0.5) - percentile(d, 0.5))} | ${fmt(percentile(r, 0.99) - percentile(d, 0.99))} |`);
    }
  }
  console.log(`router overhead, ${requests} requests per row, Node ${process.version}; everything (client, router, stand-ins, upstream) in one process on this machine (ms)`);
  console.log('| mode             |  c | direct p50 | direct p99 | routed p50 | routed p99 | added p50 | added p99 |');
  console.log('|------------------|---:|-----------:|-----------:|-----------:|-----------:|----------:|----------:|');
  for (const row of rows) console.log(row);
} finally {
  await stack.close();
}
