// Scores a prompt with the learned router: logit = within-topic difficulty (dense features) + topic
// prior (hashed n-grams) -> probability that the stronger model answers better than the cheaper one.
import { DENSE_FEATURES, extractFeatures } from './features.ts';
import type { TaskType } from './task-type.ts';
import type { RouterWeights } from './weights.ts';

/** Weights unpacked into typed arrays once, so scoring allocates almost nothing. */
export interface CompiledRouter {
  weights: RouterWeights;
  bias: number;
  dense: Float64Array;
  mean: Float64Array;
  std: Float64Array;
  buckets: Float64Array;
  /** Dense indexes of the prior's features. */
  prior: Int32Array;
}

const HAS_OPTIONS = DENSE_FEATURES.indexOf('has_options');

export interface PromptScore {
  /** Probability-like score in 0..1: higher means the stronger model is more likely to be worth it. */
  score: number;
  task: TaskType;
}

/** Compiles validated weights for scoring. */
export function compileRouter(weights: RouterWeights): CompiledRouter {
  const buckets = new Float64Array(weights.features.bucketCount);
  for (const [b, w] of weights.buckets) buckets[b] = w * weights.topicScale;
  return {
    weights,
    bias: weights.bias,
    dense: Float64Array.from(weights.dense),
    mean: Float64Array.from(weights.standardise.mean),
    std: Float64Array.from(weights.standardise.std),
    buckets,
    prior: Int32Array.from(weights.prior.features.map((name) => DENSE_FEATURES.indexOf(name))),
  };
}

/** The raw logit of a prompt (exported for training and evaluation, which rank by it). */
export function promptLogit(router: CompiledRouter, prompt: string): { logit: number; task: TaskType } {
  const f = extractFeatures(prompt, router.buckets.length);
  let z = router.bias;
  if (f.dense[HAS_OPTIONS] === 1) {
    // In the training format (multiple choice): the fitted model, topic and within-topic parts.
    for (let j = 0; j < f.dense.length; j += 1) z += (router.dense[j]! * (f.dense[j]! - router.mean[j]!)) / router.std[j]!;
    for (const b of f.buckets) z += router.buckets[b]!;
  } else {
    let load = 0;
    for (const j of router.prior) load += (f.dense[j]! - router.mean[j]!) / router.std[j]!;
    const { weight, level } = router.weights.prior;
    z += level + (weight * load) / router.prior.length;
  }
  return { logit: z, task: f.task };
}

/** Scores a prompt: the sigmoid of its logit, plus the detected task type. */
export function scorePrompt(router: CompiledRouter, prompt: string): PromptScore {
  const { logit, task } = promptLogit(router, prompt);
  return { score: 1 / (1 + Math.exp(-logit)), task };
}
