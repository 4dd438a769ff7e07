// Per-entry similarity thresholds learned online, after vCache (Schroeder et al., "vCache: Verified
// Semantic Prompt Caching", ICLR 2026; reference implementation vcache-project/vCache,
// vcache/vcache_policy/strategies/verified.py). Each cached entry keeps the verified samples of
// candidates that were its nearest neighbour: (cosine similarity, whether its answer was right for them).
// A logistic curve P(right | s) = sigmoid(gamma * (s - t)) is fitted to them; the threshold estimate t
// has a variance (delta method). For a new candidate at similarity s the entry is served without
// verification only when, for some confidence level 1 - eps over t, the chance of a wrong answer stays
// under the operator's bound delta; otherwise the candidate is verified with probability tau (vCache's
// exploration probability) and the verdict becomes a new sample. Fewer than MIN_OBSERVATIONS samples, or
// samples of one kind only, always verify (as vCache does).
//
// One addition: a candidate far below the entry's threshold (under its optimistic bound) is a miss without
// a verification; a miss never serves a wrong answer, so this saves judge calls without touching delta.

/** One verified sample: similarity (3 decimals) and 1 when the cached answer was right for the candidate. */
export type Observation = readonly [similarity: number, correct: 0 | 1];

export const MIN_OBSERVATIONS = 6;
/** Samples kept per entry (the newest); bounds the item and the fit. */
export const MAX_OBSERVATIONS = 48;

export interface ThresholdEstimate {
  /** The similarity at which the entry's answer is right half the time. */
  t: number;
  /** The curve's steepness. */
  gamma: number;
  /** Variance of t. */
  varT: number;
}

export type EntryDecision = 'serve' | 'verify' | 'miss';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const EPSILONS = Array.from({ length: 50 }, (_, i) => 1e-6 + (i * (1 - 2e-6)) / 49);
/** Steepness cap: with separable samples the unpenalised fit has no finite optimum. */
const MAX_GAMMA = 200;
const clip01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * Fits the entry's curve; undefined with too few samples or samples of one kind only (then nothing is
 * known about where the threshold lies, and every candidate is verified).
 */
export function estimateThreshold(observations: readonly Observation[]): ThresholdEstimate | undefined {
  if (observations.length < MIN_OBSERVATIONS) return undefined;
  const positives = observations.filter(([, c]) => c === 1).map(([s]) => s);
  const negatives = observations.filter(([, c]) => c === 0).map(([s]) => s);
  if (positives.length === 0 || negatives.length === 0) return undefined;
  const separated = Math.min(...positives) > Math.max(...negatives);
  // Newton's method on the log-likelihood of (b0 + b1 s); a tiny ridge keeps separable samples finite.
  let b0 = 0;
  let b1 = 0;
  const ridge = 1e-4;
  let h00 = 0, h01 = 0, h11 = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let g0 = -ridge * b0, g1 = -ridge * b1;
    h00 = ridge; h01 = 0; h11 = ridge;
    for (const [s, c] of observations) {
      const p = sigmoid(b0 + b1 * s);
      const w = Math.max(p * (1 - p), 1e-12);
      g0 += c - p; g1 += (c - p) * s;
      h00 += w; h01 += w * s; h11 += w * s * s;
    }
    const det = h00 * h11 - h01 * h01;
    if (!(det > 0)) break;
    const d0 = (h11 * g0 - h01 * g1) / det;
    const d1 = (h00 * g1 - h01 * g0) / det;
    b0 += d0; b1 += d1;
    if (b1 > MAX_GAMMA) { b0 *= MAX_GAMMA / b1; b1 = MAX_GAMMA; }
    if (Math.abs(d0) + Math.abs(d1) < 1e-9) break;
  }
  const gamma = Math.max(b1, 1e-6);
  const t = clip01(-b0 / gamma);
  let varT: number;
  if (separated) {
    // The delta method is meaningless without overlap; vCache uses a variance measured per sample count
    // (about 0.035 at 6 samples, near 0.01 from 12 on). This is a smooth curve of the same order.
    varT = Math.max(0.008, 0.035 * (MIN_OBSERVATIONS / observations.length) ** 0.7);
  } else {
    const det = h00 * h11 - h01 * h01;
    // Covariance of (b0, b1) is the inverse Hessian; t = -b0/b1, gradient (-1/b1, b0/b1^2).
    const c00 = h11 / det, c01 = -h01 / det, c11 = h00 / det;
    const g0 = -1 / gamma, g1 = b0 / (gamma * gamma);
    varT = Math.max(0, g0 * g0 * c00 + 2 * g0 * g1 * c01 + g1 * g1 * c11);
  }
  return { t, gamma, varT };
}

/**
 * vCache's exploration probability at similarity s: the smallest, over eps, of 1 - delta / (1 - a) where
 * a = (1 - eps) * sigmoid(gamma (s - t'_eps)) is a lower bound on the chance that the answer is right and
 * t'_eps the upper (1 - eps) quantile of t. At or below 0 the answer is served.
 */
export function explorationProbability(s: number, estimate: ThresholdEstimate, delta: number): number {
  const sd = Math.sqrt(estimate.varT);
  let tau = 1;
  for (const eps of EPSILONS) {
    const tPrime = clip01(estimate.t + normalQuantile(1 - eps) * sd);
    const alpha = (1 - eps) * sigmoid(estimate.gamma * (s - tPrime));
    tau = Math.min(tau, 1 - delta / (1 - alpha));
  }
  return tau;
}

/** What to do with a candidate at similarity s for an entry with these samples, under error bound delta. */
export function decide(s: number, observations: readonly Observation[], delta: number, random: () => number): EntryDecision {
  const estimate = estimateThreshold(observations);
  if (!estimate) return 'verify';
  // Far under even an optimistic threshold (t 2.33 sd lower): a miss, no judge call.
  if (s < estimate.t - 2.326 * Math.sqrt(estimate.varT)) return 'miss';
  const tau = explorationProbability(s, estimate, delta);
  return tau <= 0 || random() > tau ? 'serve' : 'verify';
}

/** The entry's samples after one more verdict (the newest MAX_OBSERVATIONS kept). */
export function withObservation(observations: readonly Observation[], s: number, correct: boolean): Observation[] {
  return [...observations, [Math.round(s * 1000) / 1000, correct ? 1 : 0] as const].slice(-MAX_OBSERVATIONS);
}

/** Compact text form for a store attribute: `0.812:1,0.640:0`. */
export function encodeObservations(observations: readonly Observation[]): string {
  return observations.map(([s, c]) => `${s.toFixed(3)}:${c}`).join(',');
}

/** Reads `encodeObservations` output; malformed parts are dropped (a bad sample must not poison the fit). */
export function decodeObservations(text: string | undefined): Observation[] {
  if (!text) return [];
  const out: Observation[] = [];
  for (const part of text.split(',')) {
    const [s, c] = part.split(':');
    const similarity = Number(s);
    if (Number.isFinite(similarity) && similarity >= -1 && similarity <= 1 && (c === '0' || c === '1')) out.push([similarity, c === '1' ? 1 : 0]);
  }
  return out.slice(-MAX_OBSERVATIONS);
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
