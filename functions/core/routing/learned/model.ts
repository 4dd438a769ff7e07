// Scores a prompt with the learned router. The score is the expected gain of calling the stronger
// model, (P(strong right) - P(weak right) + 1) / 2: 0.5 when both are expected to do equally well.
//  - multiple-choice prompts (the training format): bias + dense part + a text model that reads the
//    question (ridge regression on the L2-normalised TF-IDF vector of hashed words, bigrams and
//    character trigrams);
//  - any other prompt: the out-of-format prior (prompt length), on the same scale.
import { DENSE_FEATURES, extractFeatures, textBuckets } from './features.ts';
import { ScoreWindow } from './score-window.ts';
import type { TaskType } from './task-type.ts';
import { decodeBytes } from './weights.ts';
import type { RouterWeights } from './weights.ts';

/** Weights unpacked into typed arrays once, so scoring allocates almost nothing. */
export interface CompiledRouter {
  weights: RouterWeights;
  bias: number;
  dense: Float64Array;
  mean: Float64Array;
  std: Float64Array;
  idf: Float64Array;
  text: Float64Array;
  /** Scratch counts for textTerm (scoring is synchronous, so one per compiled router is enough). */
  counts: Float64Array;
  /** Dense indexes of the prior's features. */
  prior: Int32Array;
  /** Recent routed scores, for thresholds calibrated to the traffic (score-window.ts). */
  window: ScoreWindow;
}

const HAS_OPTIONS = DENSE_FEATURES.indexOf('has_options');
/** Scores are kept inside (0, 1) so their logit stays finite. */
const EDGE = 1e-4;

export interface PromptScore {
  /** Expected gain in 0..1: higher means the stronger model is more likely to be worth it. */
  score: number;
  task: TaskType;
}

/** Compiles validated weights for scoring. */
export function compileRouter(weights: RouterWeights): CompiledRouter {
  const idfBytes = decodeBytes(weights.text.idf);
  const weightBytes = new Int8Array(decodeBytes(weights.text.weights).buffer);
  return {
    weights,
    bias: weights.bias,
    dense: Float64Array.from(weights.dense),
    mean: Float64Array.from(weights.standardise.mean),
    std: Float64Array.from(weights.standardise.std),
    idf: Float64Array.from(idfBytes, (b) => b * weights.text.idfScale),
    text: Float64Array.from(weightBytes, (b) => b * weights.text.weightScale),
    counts: new Float64Array(idfBytes.length),
    prior: Int32Array.from(weights.prior.features.map((name) => DENSE_FEATURES.indexOf(name))),
    window: new ScoreWindow(),
  };
}

/**
 * The text model's term: the dot product of `coef` with the sublinear TF-IDF vector of `buckets`
 * ((1 + ln tf) * idf), divided by that vector's length. `counts` is zeroed scratch space of one slot
 * per bucket (left zeroed again): counting in place is linear, sorting a long prompt's buckets is not.
 */
export function textTerm(buckets: Uint32Array, idf: Float64Array, coef: Float64Array, counts: Float64Array = new Float64Array(idf.length)): number {
  for (const b of buckets) counts[b] = counts[b]! + 1;
  let dot = 0;
  let norm = 0;
  for (const b of buckets) {
    const tf = counts[b]!;
    if (tf === 0) continue;
    counts[b] = 0;
    const v = (1 + Math.log(tf)) * idf[b]!;
    dot += coef[b]! * v;
    norm += v * v;
  }
  return norm > 0 ? dot / Math.sqrt(norm) : 0;
}

/** The expected gain of a prompt, before clamping, and its detected task. */
function gain(router: CompiledRouter, prompt: string): { value: number; task: TaskType } {
  // Buckets are hashed only for prompts the text model scores (multiple choice), not for the rest.
  const f = extractFeatures(prompt, 0);
  if (f.dense[HAS_OPTIONS] === 1) {
    let z = router.bias + textTerm(textBuckets(f.textWords, router.idf.length), router.idf, router.text, router.counts);
    for (let j = 0; j < f.dense.length; j += 1) z += (router.dense[j]! * (f.dense[j]! - router.mean[j]!)) / router.std[j]!;
    return { value: z, task: f.task };
  }
  let load = 0;
  for (const j of router.prior) load += (f.dense[j]! - router.mean[j]!) / router.std[j]!;
  const { weight, level } = router.weights.prior;
  return { value: level + (weight * load) / router.prior.length, task: f.task };
}

/** The logit of a prompt's score (exported for training and evaluation, which rank by it). */
export function promptLogit(router: CompiledRouter, prompt: string): { logit: number; task: TaskType } {
  const { score, task } = scorePrompt(router, prompt);
  return { logit: Math.log(score / (1 - score)), task };
}

/** Scores a prompt: its expected gain in (0, 1), plus the detected task type. */
export function scorePrompt(router: CompiledRouter, prompt: string): PromptScore {
  const { value, task } = gain(router, prompt);
  return { score: Math.min(1 - EDGE, Math.max(EDGE, value)), task };
}
