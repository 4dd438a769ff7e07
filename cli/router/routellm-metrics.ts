// RouteLLM's evaluation, reproduced step by step from routellm/evals/benchmarks.py (`evaluate`) and
// routellm/evals/evaluate.py (`generate_results`): 11 thresholds at the deciles of the router's scores
// (pandas qcut bin edges, numpy linear quantiles), "score >= threshold" goes strong except at the last
// edge where it is ">", then AUC by the trapezoid rule over the strong share, APGR normalised between
// always-weak and always-strong, and CPT(x%) by numpy.interp of the quality target over the curve.
import type { Benchmark } from './datasets.ts';

export interface CurvePoint {
  threshold: number;
  strongPercent: number;
  score: number;
}

export interface RouterMetrics {
  apgr: number;
  auc: number;
  /** Strong-call percentage needed to recover 20/50/80% of the quality gap. */
  cpt20: number;
  cpt50: number;
  cpt80: number;
  curve: CurvePoint[];
}

const NUM_RESULTS = 10;

/** numpy.linspace(0, 1, n + 1): i * step, with the last value exactly the stop. */
function linspace01(n: number): number[] {
  const step = 1 / n;
  return Array.from({ length: n + 1 }, (_, i) => (i === n ? 1 : i * step));
}

/** numpy's `_lerp`, which computes from the upper end when t >= 0.5. */
const lerp = (a: number, b: number, t: number): number => (t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t);

/** numpy.quantile(values, qs) with the default 'linear' method. */
export function quantiles(values: readonly number[], qs: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  return qs.map((q) => {
    const index = q * (n - 1);
    const lo = Math.floor(index);
    const hi = Math.min(lo + 1, n - 1);
    return lerp(sorted[lo]!, sorted[hi]!, index - lo);
  });
}

/** The router's curve: one point per qcut bin edge (RouteLLM's Benchmark.evaluate). */
export function routerCurve(bench: Benchmark, scores: readonly number[]): CurvePoint[] {
  if (scores.length !== bench.items.length) throw new Error(`${scores.length} scores for ${bench.items.length} items`);
  const edges = quantiles(scores, linspace01(NUM_RESULTS));
  return edges.map((threshold, i) => {
    const last = i === edges.length - 1;
    let total = 0;
    let rows = 0;
    let strongRows = 0;
    bench.items.forEach((item, k) => {
      const s = scores[k]!;
      const strong = last ? s > threshold : s >= threshold;
      total += strong ? item.strong : item.weak;
      rows += item.rows;
      if (strong) strongRows += item.rows;
    });
    return { threshold, strongPercent: (strongRows / rows) * 100, score: (total / rows) * bench.scale };
  });
}

/** Accuracy (or mean judge score) of always calling one model: get_model_accuracy. */
export function modelScore(bench: Benchmark, model: 'weak' | 'strong'): number {
  let total = 0;
  let rows = 0;
  for (const item of bench.items) {
    total += item[model];
    rows += item.rows;
  }
  return (total / rows) * bench.scale;
}

/** numpy.trapz(y, x). */
function trapz(y: readonly number[], x: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i += 1) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

const LIKELY_IN_CACHE_SIZE = 8;

/** numpy's binary_search_with_guess, kept verbatim because xp (accuracy) need not be sorted. */
function binarySearchWithGuess(key: number, arr: readonly number[], guessIn: number): number {
  const len = arr.length;
  let imin = 0;
  let imax = len;
  if (key > arr[len - 1]!) return len;
  if (key < arr[0]!) return -1;
  if (len <= 4) {
    let i = 1;
    while (i < len && key >= arr[i]!) i += 1;
    return i - 1;
  }
  let guess = Math.max(1, Math.min(guessIn, len - 3));
  if (key < arr[guess]!) {
    if (key < arr[guess - 1]!) {
      imax = guess - 1;
      if (guess > LIKELY_IN_CACHE_SIZE && key >= arr[guess - LIKELY_IN_CACHE_SIZE]!) imin = guess - LIKELY_IN_CACHE_SIZE;
    } else return guess - 1;
  } else if (key < arr[guess + 1]!) return guess;
  else if (key < arr[guess + 2]!) return guess + 1;
  else {
    imin = guess + 2;
    if (guess < len - LIKELY_IN_CACHE_SIZE - 1 && key < arr[guess + LIKELY_IN_CACHE_SIZE]!) imax = guess + LIKELY_IN_CACHE_SIZE;
  }
  while (imin < imax) {
    const imid = imin + ((imax - imin) >> 1);
    if (key >= arr[imid]!) imin = imid + 1;
    else imax = imid;
  }
  guess = imin - 1;
  return guess;
}

/** numpy.interp(x, xp, fp) for a scalar x (guess 0), including its behaviour on unsorted xp. */
export function npInterp(x: number, xp: readonly number[], fp: readonly number[]): number {
  const n = xp.length;
  if (n === 1) return fp[0]!;
  const j = binarySearchWithGuess(x, xp, 0);
  if (j === -1) return fp[0]!;
  if (j === n) return fp[n - 1]!;
  if (j === n - 1) return fp[j]!;
  if (xp[j] === x) return fp[j]!;
  const slope = (fp[j + 1]! - fp[j]!) / (xp[j + 1]! - xp[j]!);
  let out = slope * (x - xp[j]!) + fp[j]!;
  if (Number.isNaN(out)) {
    out = slope * (x - xp[j + 1]!) + fp[j + 1]!;
    if (Number.isNaN(out) && fp[j] === fp[j + 1]) out = fp[j]!;
  }
  return out;
}

/** generate_results for one method: AUC, APGR and the CPT points, from the curve. */
export function summarise(curve: readonly CurvePoint[], weak: number, strong: number): RouterMetrics {
  // pandas sort_values(by=strong_percentage); a stable sort keeps equal-share points in threshold order.
  const sorted = [...curve].sort((a, b) => a.strongPercent - b.strongPercent);
  const x = sorted.map((p) => p.strongPercent / 100);
  const y = sorted.map((p) => p.score);
  const auc = trapz(y, x);
  const weakAuc = trapz(y.map(() => weak), x);
  const strongAuc = trapz(y.map(() => strong), x);
  const cpt = (pct: number) => npInterp(pct * (strong - weak) + weak, y, sorted.map((p) => p.strongPercent));
  return { apgr: (auc - weakAuc) / (strongAuc - weakAuc), auc, cpt20: cpt(0.2), cpt50: cpt(0.5), cpt80: cpt(0.8), curve: sorted };
}

/** Curve plus summary for a router's scores on a benchmark (higher score = more likely to go strong). */
export function evaluateScores(bench: Benchmark, scores: readonly number[]): RouterMetrics {
  return summarise(routerCurve(bench, scores), modelScore(bench, 'weak'), modelScore(bench, 'strong'));
}
