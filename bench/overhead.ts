// Router overhead: latency through the local router (auth, routing, provider adapter, cost record in
// the DynamoDB stand-in) minus latency calling the same simulated upstream directly.
// Run: npx node bench/overhead.ts   (BENCH_REQUESTS=400 by default per concurrency level)
import { startLocalStack } from '#local/local-stack.ts';
import { percentile, runConcurrent } from './stats.ts';

const requests = Number(process.env['BENCH_REQUESTS'] ?? 400);
const levels = (process.env['BENCH_CONCURRENCY'] ?? '1,10').split(',').map(Number);
const body = (model: string, stream: boolean) => JSON.stringify({
  model,
  stream,
  ...(stream ? { stream_options: { include_usage: true } } : {}),
  messages: [{ role: 'user', content: 'Summarise the benefits of a multi-model router in one paragraph.' }],
});

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
  const rows: string[] = [];
  for (const stream of [false, true]) {
    for (const concurrency of levels) {
      const directPayload = body('gpt-5.4', stream);
      const routedPayload = body('gpt-5.4', stream);
      await runConcurrent(50, concurrency, () => call(direct, 'simulated', directPayload));
      await runConcurrent(50, concurrency, () => call(routed, stack.apiKey, routedPayload));
      const d = await runConcurrent(requests, concurrency, () => call(direct, 'simulated', directPayload));
      const r = await runConcurrent(requests, concurrency, () => call(routed, stack.apiKey, routedPayload));
      const fmt = (n: number) => n.toFixed(2).padStart(7);
      rows.push(`| ${stream ? 'stream' : 'json  '} | ${String(concurrency).padStart(2)} | ${fmt(percentile(d, 0.5))} | ${fmt(percentile(d, 0.99))} | ${fmt(percentile(r, 0.5))} | ${fmt(percentile(r, 0.99))} | ${fmt(percentile(r, 0.5) - percentile(d, 0.5))} | ${fmt(percentile(r, 0.99) - percentile(d, 0.99))} |`);
    }
  }
  console.log(`router overhead, ${requests} requests per row, Node ${process.version}, simulated upstream with zero think time (ms)`);
  console.log('| mode   |  c | direct p50 | direct p99 | routed p50 | routed p99 | added p50 | added p99 |');
  console.log('|--------|---:|-----------:|-----------:|-----------:|-----------:|----------:|----------:|');
  for (const row of rows) console.log(row);
} finally {
  await stack.close();
}
