// The learned router's weights file (catalog/router-weights.v<N>.json): a versioned, validated
// document with the model, the score calibration and how it was trained.
import * as z from 'zod';
import { DENSE_FEATURES } from './features.ts';

const finite = z.number().finite();

export const routerWeightsSchema = z.strictObject({
  format: z.literal('llm-router/learned-router'),
  /** Bumped whenever features or scoring change meaning; the catalog names the version it wants. */
  version: z.number().int().positive(),
  createdAt: z.string(),
  /** The model pair the outcomes came from (the scores rank "how much does the stronger one help"). */
  pair: z.strictObject({ strong: z.string(), weak: z.string() }),
  /** How the weights were trained and on what; eval-router checks this before it reports held-out numbers. */
  protocol: z.record(z.string(), z.unknown()),
  features: z.strictObject({
    dense: z.array(z.string()).refine((names) => names.join() === DENSE_FEATURES.join(), 'dense feature names differ from this code version'),
    bucketCount: z.number().int().nonnegative(),
  }),
  standardise: z.strictObject({ mean: z.array(finite), std: z.array(finite.positive()) }),
  bias: finite,
  /** Within-topic difficulty weights, one per dense feature (standardised). */
  dense: z.array(finite),
  /** Topic weights: [bucket, weight] pairs of the hashed n-grams kept after pruning. */
  buckets: z.array(z.tuple([z.number().int().nonnegative(), finite])),
  /** Multiplier of the topic part (1 = as trained). */
  topicScale: finite,
  /**
   * Out-of-format fallback. The topic part learned subject means from multiple-choice questions; on a
   * prompt without answer options it would extrapolate, so there a fixed reasoning-load prior takes
   * its place: the mean of the standardised `features` (unit weights, not fitted), times `weight`,
   * plus `level` (the topic part's mean logit on training prompts, so the two scales line up).
   */
  prior: z.strictObject({
    features: z.array(z.enum(DENSE_FEATURES)).min(1),
    weight: finite,
    level: finite,
  }),
  /**
   * Score quantiles on the training prompts: quantiles[i] is the score below which i% of them fall.
   * A target strong share s maps to the threshold quantiles[round(100 * (1 - s))].
   */
  quantiles: z.array(finite).length(101),
  /** Measured on the training split's validation part: gap recovered at each strong share 0, 0.05 .. 1. */
  recoveredByShare: z.array(finite).length(21),
}).superRefine((w, ctx) => {
  const d = w.features.dense.length;
  if (w.dense.length !== d) ctx.addIssue({ code: 'custom', path: ['dense'], message: `expected ${d} weights` });
  if (w.standardise.mean.length !== d || w.standardise.std.length !== d) {
    ctx.addIssue({ code: 'custom', path: ['standardise'], message: `expected ${d} means and stds` });
  }
  if (w.buckets.some(([b]) => b >= w.features.bucketCount)) {
    ctx.addIssue({ code: 'custom', path: ['buckets'], message: `bucket index >= bucketCount ${w.features.bucketCount}` });
  }
});
export type RouterWeights = z.infer<typeof routerWeightsSchema>;
