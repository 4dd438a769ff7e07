// The learned router's weights file (catalog/router-weights.v<N>.json): a versioned, validated
// document with the model, the score calibration and how it was trained.
import * as z from 'zod/mini';
import '../../../contracts/zod-en.ts';
import { DENSE_FEATURES } from './features.ts';

// Classic zod's `.finite()` is a no-op in v4 (numbers are finite); zod/mini has none.
const finite = z.number();

export const routerWeightsSchema = z.strictObject({
  format: z.literal('llm-router/learned-router'),
  /** Bumped whenever features or scoring change meaning; the catalog names the version it wants. */
  version: z.number().check(z.int(), z.positive()),
  createdAt: z.string(),
  /** The model pair the outcomes came from (the scores rank "how much does the stronger one help"). */
  pair: z.strictObject({ strong: z.string(), weak: z.string() }),
  /** How the weights were trained and on what; eval-router checks this before it reports held-out numbers. */
  protocol: z.record(z.string(), z.unknown()),
  features: z.strictObject({
    dense: z.array(z.string()).check(z.refine((names: string[]) => names.join() === DENSE_FEATURES.join(), 'dense feature names differ from this code version')),
    bucketCount: z.number().check(z.int(), z.nonnegative()),
  }),
  standardise: z.strictObject({ mean: z.array(finite), std: z.array(z.number().check(z.positive())) }),
  /** Expected gain of an average training prompt (the text model is fitted around it). */
  bias: finite,
  /** Weights of the standardised dense features (gain units; zeros when the text model stands alone). */
  dense: z.array(finite),
  /**
   * The text model: a ridge regression on the L2-normalised TF-IDF vector of the hashed text buckets
   * (features.ts textBuckets). Both arrays are base64, one byte per bucket: `idf` unsigned
   * (idf = byte * idfScale), `weights` signed (weight = byte * weightScale).
   */
  text: z.strictObject({
    idfScale: z.number().check(z.positive()),
    idf: z.base64(),
    weightScale: z.number().check(z.nonnegative()),
    weights: z.base64(),
  }),
  /**
   * Out-of-format fallback. The text model learnt from multiple-choice exam questions; on a prompt
   * without answer options it would extrapolate, so there the mean of the standardised `features`
   * (unit weights, not fitted) times `weight`, plus `level`, takes its place; `level` and `weight` are
   * the mean and spread of the text model's out-of-fold scores, so both regimes share one scale.
   */
  prior: z.strictObject({
    features: z.array(z.enum(DENSE_FEATURES)).check(z.minLength(1)),
    weight: finite,
    level: finite,
  }),
  /**
   * Score quantiles of the training prompts, out of fold (each scored by a model that did not see it,
   * so the spread is that of new prompts): quantiles[i] is the score below which i% of them fall.
   * A target strong share s maps to the threshold quantiles[round(100 * (1 - s))].
   */
  quantiles: z.array(finite).check(z.length(101)),
  /** Measured on the training split's validation part: gap recovered at each strong share 0, 0.05 .. 1. */
  recoveredByShare: z.array(finite).check(z.length(21)),
}).check(z.superRefine((w, ctx) => {
  const d = w.features.dense.length;
  if (w.dense.length !== d) ctx.addIssue({ code: 'custom', path: ['dense'], message: `expected ${d} weights` });
  if (w.standardise.mean.length !== d || w.standardise.std.length !== d) {
    ctx.addIssue({ code: 'custom', path: ['standardise'], message: `expected ${d} means and stds` });
  }
  for (const key of ['idf', 'weights'] as const) {
    const bytes = (w.text[key].length * 3) / 4 - (w.text[key].endsWith('==') ? 2 : w.text[key].endsWith('=') ? 1 : 0);
    if (bytes !== w.features.bucketCount) ctx.addIssue({ code: 'custom', path: ['text', key], message: `expected ${w.features.bucketCount} bytes, got ${bytes}` });
  }
}));
export type RouterWeights = z.infer<typeof routerWeightsSchema>;

/** Bytes of a base64 text-model array (atob: available in Node and in every runtime we target). */
export function decodeBytes(base64: string): Uint8Array {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) out[i] = text.charCodeAt(i);
  return out;
}

/** Base64 of bytes (for train-router and tests). */
export function encodeBytes(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}
