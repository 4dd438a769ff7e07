// Benchmark: one routing decision (planRoute) over a synthetic 100-model catalog, per strategy.
// Run: npx node bench/routing.ts [iterations]
import os from 'node:os';
import { parseCatalog } from '../functions/core/catalog/catalog.ts';
import type { Capability, Strategy } from '../functions/core/catalog/catalog-schema.ts';
import { planRoute } from '../functions/core/routing/plan.ts';
import type { RoutingContext, RoutingInput } from '../functions/core/routing/types.ts';
import { seededRandom } from '#core/shared/seeded-random.ts';
import { detectTaskType } from '#core/routing/learned/task-type.ts';

const MODELS = 100;
const WARMUP = 2_000;
const ITERATIONS = Number(process.argv[2] ?? 20_000);


function syntheticCatalog() {
  const rand = seededRandom(42);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const tasks = ['code', 'math', 'chat', 'summarize', 'extract', 'reasoning'];
  const caps: Capability[] = ['vision', 'tools', 'json', 'streaming', 'reasoning'];
  const models = Array.from({ length: MODELS }, (_, i) => {
    const input = round(0.05 * 100 ** rand()); // $0.05 .. $5 per 1M: a 100x spread
    const overall = round(0.5 + 0.45 * rand());
    return {
      id: `model-${String(i).padStart(3, '0')}`,
      provider: `p${i % 5}`,
      upstreamId: `upstream-${i}`,
      pricing: { currency: i % 4 === 0 ? 'CNY' : 'USD', inputPerMTok: input, outputPerMTok: round(input * 4) },
      contextWindow: [32_000, 128_000, 200_000, 1_000_000][i % 4],
      maxOutputTokens: [8_000, 16_000, 64_000][i % 3],
      quality: { overall, tasks: Object.fromEntries(tasks.map((t) => [t, round(Math.min(1, overall + 0.1 * (rand() - 0.5)))])) },
      capabilities: caps.filter(() => rand() > 0.2),
      latencyMs: Math.round(400 + 3000 * rand()),
      fallbacks: [`model-${String((i + 1) % MODELS).padStart(3, '0')}`, `model-${String((i + 2) % MODELS).padStart(3, '0')}`],
    };
  });
  return parseCatalog({
    version: 1,
    currencyRates: { CNY: 0.14 },
    providers: Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, kind: 'openai-compatible', baseUrl: 'https://example.com/v1' })),
    models,
  });
}

const catalog = syntheticCatalog();
const SHORT = 'Write a haiku about the sea, then explain its imagery briefly.';
const MULTIPLE_CHOICE = `${'A farmer has 120 acres and plants wheat on 35% of the land and corn on a third of the rest. '.repeat(5)}Which statement is NOT true?\nA. 42 acres are wheat\nB. 26 acres are corn\nC. 52 acres are unplanted\nD. The corn share is 21.7%\nAnswer:`;
const LONG = 'The committee reviewed 14 proposals, compared their budgets and timelines, and asked why each differs. '.repeat(80);
const context: RoutingContext = {
  observedLatencyMs: new Map(catalog.models.filter((_, i) => i % 3 === 0).map((m) => [m.id, m.latencyMs * 1.1])),
  unavailable: new Map([['model-007', 'circuit open']]),
};

function input(strategy: Strategy, mode: 'route' | 'model' = 'route', prompt?: string): RoutingInput {
  return {
    mode,
    ...(prompt !== undefined ? { prompt, learned: { strongShare: 0.3 } } : {}),
    ...(mode === 'model' ? { pinnedModelId: 'model-010' } : { routeName: 'auto' }),
    strategy,
    taskType: 'code',
    minQuality: 0.6,
    weights: catalog.defaults.weights,
    maxAttempts: 3,
    estimatedInputTokens: 3_000,
    requestedOutputTokens: 1_024,
    requiredCapabilities: ['tools'],
  };
}

function measure(label: string, routingInput: RoutingInput, detect = false) {
  const plan = detect
    ? (i: RoutingInput) => planRoute(catalog, { ...i, taskType: detectTaskType(i.prompt ?? '') }, context)
    : (i: RoutingInput) => planRoute(catalog, i, context);
  let sink = 0;
  for (let i = 0; i < WARMUP; i++) sink += plan(routingInput).candidates.length;
  const samples = new Float64Array(ITERATIONS);
  // CPU time per decision as well: on a shared machine the wall-clock tail is mostly time spent
  // descheduled, which says nothing about the decision (process.cpuUsage adds ~1 µs per sample).
  const cpu = new Float64Array(ITERATIONS);
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    sink += plan(routingInput).candidates.length;
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
    const c = process.cpuUsage(c0);
    cpu[i] = c.user + c.system;
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  samples.sort();
  cpu.sort();
  const pct = (xs: Float64Array, p: number) => xs[Math.min(ITERATIONS - 1, Math.floor(p * ITERATIONS))] ?? 0;
  if (sink < 0) console.log(sink); // keep the work observable
  return { label, opsPerSec: Math.round(ITERATIONS / (totalMs / 1000)), p50: pct(samples, 0.5), p99: pct(samples, 0.99), cpuP50: pct(cpu, 0.5), cpuP99: pct(cpu, 0.99) };
}

const rows = [
  measure('cost-first', input('cost-first')),
  measure('quality-first', input('quality-first')),
  measure('balanced', input('balanced')),
  measure('pinned + fallbacks', input('balanced', 'model')),
  // The learned strategy scores the prompt (features + weights) on every decision; task detection is
  // timed with it, as resolveRoutingInput runs it for every route request without a task.
  measure('learned, 60 chars', input('learned', 'route', SHORT), true),
  measure('learned, MC 600 ch', input('learned', 'route', MULTIPLE_CHOICE), true),
  measure('learned, 8k chars', input('learned', 'route', LONG), true),
];

console.log(`planRoute over ${MODELS} models, ${ITERATIONS} iterations after ${WARMUP} warm-up (Node ${process.versions.node})`);
console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
console.log('| strategy           |    ops/s | p50 µs | p99 µs | CPU p50 µs | CPU p99 µs |');
console.log('|--------------------|---------:|-------:|-------:|-----------:|-----------:|');
for (const r of rows) {
  console.log(
    `| ${r.label.padEnd(18)} | ${String(r.opsPerSec).padStart(8)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p99.toFixed(1).padStart(6)} | ${r.cpuP50.toFixed(0).padStart(10)} | ${r.cpuP99.toFixed(0).padStart(10)} |`,
  );
}
