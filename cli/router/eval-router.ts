// `npm run eval-router [-- --weights catalog/router-weights.v2.json] [--bootstrap 1000]`
// Prints APGR, CPT(50%) and CPT(80%) per benchmark for the learned router against the random and
// prompt-length baselines, computed as RouteLLM's generate_results does (routellm-metrics.ts).
// Held-out MMLU is reported only when the weights were trained under this code's split (PROTOCOL).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { compileRouter, promptLogit, scorePrompt } from '#core/routing/learned/model.ts';
import { ScoreWindow } from '#core/routing/learned/score-window.ts';
import { DEFAULT_TARGET, thresholdFor } from '#core/routing/learned/threshold.ts';
import type { RouterWeights } from '#core/routing/learned/weights.ts';
import { routerWeightsSchema } from '#core/routing/learned/weights.ts';
import { seededRandom } from '#core/shared/seeded-random.ts';
import { defaultDataDir, loadGsm8k, loadMmluHeldOut, loadMtBench, PROTOCOL } from './datasets.ts';
import type { Benchmark } from './datasets.ts';
import { evaluateScores } from './routellm-metrics.ts';
import type { RouterMetrics } from './routellm-metrics.ts';

const RANDOM_SEEDS = 20;

export interface Row {
  benchmark: string;
  router: string;
  metrics: Pick<RouterMetrics, 'apgr' | 'cpt50' | 'cpt80'>;
  interval?: [number, number];
  /**
   * Learned rows: the share of this benchmark's prompts that `auto`'s default target (strongShare 0.3)
   * sends strong, with the training quantiles alone and with the traffic window (prompts routed in a
   * seeded random order through a fresh window, as one instance would see a steady mix; the first
   * WINDOW_MIN_SCORES use the training quantiles).
   */
  autoShare?: { training: number; stream: { all: number; traffic?: number } };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Random router: uniform scores, averaged over seeds (a single draw is noisy on small sets). */
function randomRouter(bench: Benchmark): Row['metrics'] {
  const runs = Array.from({ length: RANDOM_SEEDS }, (_, seed) => {
    const rand = seededRandom(seed + 1);
    return evaluateScores(bench, bench.items.map(() => rand()));
  });
  return { apgr: mean(runs.map((r) => r.apgr)), cpt50: mean(runs.map((r) => r.cpt50)), cpt80: mean(runs.map((r) => r.cpt80)) };
}

/**
 * 95% percentile interval of `statistic` over resamples of the questions (with replacement), seeded:
 * `statistic` gets the resampled benchmark and the original index of each of its items. Resamples where
 * it is not finite are left out.
 */
export function questionBootstrap(bench: Benchmark, statistic: (sample: Benchmark, idx: readonly number[]) => number, seed: number, resamples: number): [number, number] {
  const rand = seededRandom(seed);
  const values: number[] = [];
  for (let r = 0; r < resamples; r += 1) {
    const idx = bench.items.map(() => Math.floor(rand() * bench.items.length));
    const value = statistic({ ...bench, items: idx.map((i) => bench.items[i]!) }, idx);
    if (Number.isFinite(value)) values.push(value);
  }
  values.sort((a, b) => a - b);
  return [values[Math.floor(0.025 * values.length)]!, values[Math.floor(0.975 * values.length)]!];
}

/** 95% interval of APGR over question resamples. */
function bootstrap(bench: Benchmark, scores: number[], resamples: number): [number, number] {
  return questionBootstrap(bench, (sample, idx) => evaluateScores(sample, idx.map((i) => scores[i]!)).apgr, 7, resamples);
}

/**
 * `auto`'s default target on `scores` as a shuffled stream through a fresh window: the share routed
 * strong over the whole stream, and over the decisions the window calibrated (undefined if none).
 */
function streamedShare(weights: RouterWeights, scores: readonly number[]): { all: number; traffic?: number } {
  const rand = seededRandom(11);
  const order = scores.map((score) => ({ score, key: rand() })).sort((a, b) => a.key - b.key);
  const window = new ScoreWindow();
  let strong = 0;
  let calibrated = 0;
  let calibratedStrong = 0;
  for (const { score } of order) {
    const t = thresholdFor(weights, DEFAULT_TARGET, window);
    const goStrong = score >= t.threshold;
    if (goStrong) strong += 1;
    if (t.calibration === 'traffic') {
      calibrated += 1;
      if (goStrong) calibratedStrong += 1;
    }
    window.add(score);
  }
  return { all: strong / scores.length, ...(calibrated > 0 ? { traffic: calibratedStrong / calibrated } : {}) };
}

export function evaluateAll(weightsPath: string, dataDir: string, resamples: number): Row[] {
  const weights = routerWeightsSchema.parse(JSON.parse(readFileSync(weightsPath, 'utf8')));
  const p = weights.protocol;
  if (p['split'] !== PROTOCOL.split || p['trainOn'] !== PROTOCOL.trainOn) {
    throw new Error(`${weightsPath} was not trained under this protocol (split '${String(p['split'])}'): held-out numbers would be meaningless`);
  }
  const router = compileRouter(weights);
  const { threshold } = thresholdFor(weights, DEFAULT_TARGET);
  const rows: Row[] = [];
  for (const bench of [loadMmluHeldOut(dataDir), loadGsm8k(dataDir), loadMtBench(dataDir)]) {
    const learned = bench.items.map((it) => promptLogit(router, it.prompt).logit);
    const length = bench.items.map((it) => it.prompt.length);
    const withInterval = bench.name === 'mt-bench' && resamples > 0;
    const scores = bench.items.map((it) => scorePrompt(router, it.prompt).score);
    const autoShare = { training: scores.filter((x) => x >= threshold).length / scores.length, stream: streamedShare(weights, scores) };
    rows.push({ benchmark: bench.name, router: 'learned', metrics: evaluateScores(bench, learned), autoShare, ...(withInterval ? { interval: bootstrap(bench, learned, resamples) } : {}) });
    rows.push({ benchmark: bench.name, router: 'length', metrics: evaluateScores(bench, length), ...(withInterval ? { interval: bootstrap(bench, length, resamples) } : {}) });
    rows.push({ benchmark: bench.name, router: `random (mean of ${RANDOM_SEEDS})`, metrics: randomRouter(bench) });
  }
  return rows;
}

export function renderTable(rows: Row[]): string {
  const lines = ['| benchmark | router | APGR | 95% interval | CPT(50%) | CPT(80%) | `auto` strong share (target 30%): training quantiles; stream with window (after warm-up) |', '|---|---|---:|---|---:|---:|---:|'];
  for (const r of rows) {
    const ci = r.interval ? `${r.interval[0].toFixed(3)} – ${r.interval[1].toFixed(3)}` : '';
    const pct = (x: number | undefined) => (x === undefined ? 'n/a' : `${(100 * x).toFixed(1)}%`);
    const share = r.autoShare === undefined ? '' : `${pct(r.autoShare.training)}; ${pct(r.autoShare.stream.all)} (${pct(r.autoShare.stream.traffic)})`;
    lines.push(`| ${r.benchmark} | ${r.router} | ${r.metrics.apgr.toFixed(3)} | ${ci} | ${r.metrics.cpt50.toFixed(2)}% | ${r.metrics.cpt80.toFixed(2)}% | ${share} |`);
  }
  return lines.join('\n');
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const { values } = parseArgs({ options: { weights: { type: 'string', default: 'catalog/router-weights.v2.json' }, data: { type: 'string' }, bootstrap: { type: 'string', default: '1000' } } });
  const resamples = Number(values.bootstrap);
  if (!Number.isInteger(resamples) || resamples < 0) throw new Error('--bootstrap: expected a whole number of resamples');
  const rows = evaluateAll(values.weights!, values.data ?? defaultDataDir(), resamples);
  console.log(`protocol: ${PROTOCOL.split}; trained on ${PROTOCOL.trainOn} only; out of domain: ${PROTOCOL.outOfDomain.join(', ')}`);
  console.log(renderTable(rows));
}
