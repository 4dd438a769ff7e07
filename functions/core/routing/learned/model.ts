// Scores a prompt with the learned router: logit = within-topic difficulty (dense features) + topic
// prior (hashed n-grams) -> probability that the stronger model answers better than the cheaper one.
import { extractFeatures } from './features.ts';
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
}

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
  };
}

/** The raw logit of a prompt (exported for training and evaluation, which rank by it). */
export function promptLogit(router: CompiledRouter, prompt: string): { logit: number; task: TaskType } {
  const f = extractFeatures(prompt, router.buckets.length);
  let z = router.bias;
  for (let j = 0; j < f.dense.length; j += 1) z += (router.dense[j]! * (f.dense[j]! - router.mean[j]!)) / router.std[j]!;
  for (const b of f.buckets) z += router.buckets[b]!;
  return { logit: z, task: f.task };
}

/** Scores a prompt: the sigmoid of its logit, plus the detected task type. */
export function scorePrompt(router: CompiledRouter, prompt: string): PromptScore {
  const { logit, task } = promptLogit(router, prompt);
  return { score: 1 / (1 + Math.exp(-logit)), task };
}
