// `npm run train-router [-- --out catalog/router-weights.v1.json]`
// Trains the learned router on the MMLU training split only (datasets.ts PROTOCOL) and writes the
// versioned weights file the catalog points to. GSM8K and MT-Bench are never read here.
//
// Recipe. What transfers across datasets is difficulty *within* a topic, not the topic itself, and the
// training prompts are all multiple-choice, so the model has two regimes:
//  - target per prompt: (strong - weak + 1) / 2, i.e. 1 when only the strong model is right, 0 when
//    only the weak one is, 0.5 when they agree: the expected gain APGR rewards;
//  - topic part: hashed word unigrams+bigrams regressed on the subject's smoothed mean target, a
//    smooth target that keeps the n-grams from memorising single questions;
//  - within part: logistic regression on the dense features with the subject mean as a fixed
//    offset, so it learns what makes a question harder than its subject's average;
//  - prompts in the training format (answer options) get topic + within; any other prompt gets the
//    prompt-length prior (leave-subject-group-out CV on the training split found no fitted feature set
//    that ranks prompts inside an unseen topic better than length does);
//  - the mix of the two parts is picked by 5-fold cross-validation inside the training split, whose
//    out-of-fold scores also give the calibration curve (gap recovered per strong share).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DENSE_FEATURES, extractFeatures } from '#core/routing/learned/features.ts';
import { compileRouter, promptLogit } from '#core/routing/learned/model.ts';
import { routerWeightsSchema } from '#core/routing/learned/weights.ts';
import type { RouterWeights } from '#core/routing/learned/weights.ts';
import { defaultDataDir, fnv1a32, loadTrainingSet, PROTOCOL, STRONG, WEAK } from './datasets.ts';
import type { Benchmark, Item } from './datasets.ts';
import { fitLogistic, logit, standardiser, standardise } from './logistic.ts';
import type { LinearModel, Row } from './logistic.ts';
import { evaluateScores, modelScore } from './routellm-metrics.ts';

export const TRAINING = {
  bucketCount: 2048,
  target: '(strong - weak + 1) / 2',
  subjectPrior: 20,
  l2Dense: 0.001,
  l2Buckets: 0.001,
  steps: 300,
  learningRate: 0.05,
  folds: 5,
  crossValidation: "fold = fnv1a32('fold:' + prompt) % 5 within the training split: out-of-fold scores pick the mix and give the calibration curve",
  grid: { topicScale: [0.25, 0.5, 1], withinScale: [0.5, 1, 2] },
  /** Out of format (no answer options) the score ranks by length: see docs/learned-router.md. */
  outOfFormatLengthWeight: 1,
  pruneBelow: 1e-4,
} as const;

const target = (it: Item): number => (it.strong - it.weak + 1) / 2;
const foldOf = (it: Item): number => fnv1a32(`fold:${it.prompt}`) % TRAINING.folds;
const round = (n: number, digits: number): number => Number(n.toFixed(digits));

interface Parts {
  standardise: { mean: Float64Array; std: Float64Array };
  topic: LinearModel;
  /** Within-subject model: dense features with each subject's mean as a fixed offset. */
  within: LinearModel;
  /** Rows the parts were fitted on (to find the mean logit of a mix). */
  rows: Row[];
}

export interface Assembly {
  topicScale: number;
  withinScale: number;
}

/** Fits the topic part (subject means from n-grams) and the item-level residual on `items`. */
function fitParts(items: Item[]): Parts {
  const raw: Row[] = items.map((it) => {
    const f = extractFeatures(it.prompt, TRAINING.bucketCount);
    return { dense: f.dense, buckets: f.buckets };
  });
  const st = standardiser(raw);
  const rows = raw.map((r) => ({ dense: standardise(r.dense, st), buckets: r.buckets }));
  const y = items.map(target);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const bySubject = new Map<string, { sum: number; n: number }>();
  items.forEach((it, i) => {
    const s = bySubject.get(it.group) ?? { sum: 0, n: 0 };
    s.sum += y[i]!;
    s.n += 1;
    bySubject.set(it.group, s);
  });
  const subjectMean = (it: Item): number => {
    const s = bySubject.get(it.group)!;
    return (s.sum + TRAINING.subjectPrior * mean) / (s.n + TRAINING.subjectPrior);
  };
  const common = { bucketCount: TRAINING.bucketCount, steps: TRAINING.steps, learningRate: TRAINING.learningRate };
  const topic = fitLogistic(rows, { ...common, targets: items.map(subjectMean), l2Dense: 0, l2Buckets: TRAINING.l2Buckets, useDense: false, useBuckets: true });
  const offsets = items.map((it) => Math.log(subjectMean(it) / (1 - subjectMean(it))));
  const within = fitLogistic(rows, { ...common, targets: y, offsets, l2Dense: TRAINING.l2Dense, l2Buckets: 0, useBuckets: false });
  return { standardise: st, topic, within, rows };
}

/** Builds the weights file body from fitted parts and the chosen mix. */
function assemble(parts: Parts, mix: Assembly): RouterWeights {
  const dense = [...parts.within.dense].map((w) => round(mix.withinScale * w, 6));
  const buckets: [number, number][] = [];
  for (let b = 0; b < TRAINING.bucketCount; b += 1) {
    const w = mix.topicScale * parts.topic.buckets[b]!;
    if (Math.abs(w) >= TRAINING.pruneBelow) buckets.push([b, round(w, 4)]);
  }
  const bias = round(mix.topicScale * parts.topic.bias, 6);
  // Out-of-format prompts of average length land at the training prompts' mean logit.
  const model = { bias, dense: Float64Array.from(dense), buckets: Float64Array.from(parts.topic.buckets, (w) => mix.topicScale * w) };
  const meanLogit = parts.rows.reduce((sum, r) => sum + logit(model, r), 0) / parts.rows.length;
  return {
    format: 'llm-router/learned-router',
    version: 1,
    createdAt: '',
    pair: { strong: STRONG, weak: WEAK },
    protocol: {},
    features: { dense: [...DENSE_FEATURES], bucketCount: TRAINING.bucketCount },
    standardise: { mean: [...parts.standardise.mean].map((v) => round(v, 6)), std: [...parts.standardise.std].map((v) => round(v, 6)) },
    bias,
    dense,
    buckets,
    // The mix is already folded into the bucket weights.
    topicScale: 1,
    prior: { features: ['log_chars'], weight: TRAINING.outOfFormatLengthWeight, level: round(meanLogit - bias, 6) },
    quantiles: new Array<number>(101).fill(0),
    recoveredByShare: new Array<number>(21).fill(0),
  };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

function calibrate(weights: RouterWeights, items: Item[]): number[] {
  const router = compileRouter(weights);
  const scores = items.map((it) => sigmoid(promptLogit(router, it.prompt).logit)).sort((a, b) => a - b);
  return Array.from({ length: 101 }, (_, i) => round(scores[Math.min(scores.length - 1, Math.floor((i / 100) * (scores.length - 1)))]!, 6));
}

/** Gap recovered at strong shares 0, 0.05 .. 1, from out-of-fold scores. */
function recoveredByShare(scores: readonly number[], validation: Benchmark): number[] {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  const weak = modelScore(validation, 'weak');
  const strong = modelScore(validation, 'strong');
  return Array.from({ length: 21 }, (_, k) => {
    const strongSet = new Set(order.slice(0, Math.round((k / 20) * order.length)).map(([, i]) => i));
    let total = 0;
    validation.items.forEach((it, i) => {
      total += strongSet.has(i) ? it.strong : it.weak;
    });
    const score = (total / validation.items.length) * validation.scale;
    return round((score - weak) / (strong - weak), 4);
  });
}

export function train(dataDir: string, log: (line: string) => void = console.log): RouterWeights {
  const set = loadTrainingSet(dataDir);
  log(`training split: ${set.items.length} MMLU prompts, ${TRAINING.folds}-fold cross-validation inside it`);
  const withOptions = set.items.filter((it) => extractFeatures(it.prompt, 0).dense[DENSE_FEATURES.indexOf('has_options')] === 1).length;
  log(`multiple-choice format recognised in ${withOptions} of ${set.items.length} training prompts`);

  const mixes: Assembly[] = TRAINING.grid.topicScale.flatMap((topicScale) => TRAINING.grid.withinScale.map((withinScale) => ({ topicScale, withinScale })));
  // Out-of-fold logits per mix: every training prompt scored by a model fitted without its fold.
  const outOfFold = mixes.map(() => new Array<number>(set.items.length).fill(0));
  for (let k = 0; k < TRAINING.folds; k += 1) {
    const parts = fitParts(set.items.filter((it) => foldOf(it) !== k));
    mixes.forEach((mix, m) => {
      const router = compileRouter(assemble(parts, mix));
      set.items.forEach((it, i) => {
        if (foldOf(it) === k) outOfFold[m]![i] = promptLogit(router, it.prompt).logit;
      });
    });
    log(`  fold ${k + 1}/${TRAINING.folds} fitted`);
  }
  let best = 0;
  const apgrs = mixes.map((mix, m) => {
    const apgr = evaluateScores(set, outOfFold[m]!).apgr;
    log(`  out-of-fold APGR ${apgr.toFixed(4)} for ${JSON.stringify(mix)}`);
    return apgr;
  });
  apgrs.forEach((a, m) => {
    if (a > apgrs[best]!) best = m;
  });
  const chosen = { mix: mixes[best]!, apgr: apgrs[best]! };
  log(`chosen by cross-validation: ${JSON.stringify(chosen.mix)} (out-of-fold APGR ${chosen.apgr.toFixed(4)})`);
  const curve = recoveredByShare(outOfFold[best]!, set);

  const final = assemble(fitParts(set.items), chosen.mix);
  const weights: RouterWeights = {
    ...final,
    createdAt: new Date().toISOString(),
    protocol: {
      ...PROTOCOL,
      trainItems: set.items.length,
      training: TRAINING,
      mix: chosen.mix,
      crossValidatedApgr: round(chosen.apgr, 4),
      neverRead: 'held-out MMLU, GSM8K and MT-Bench are not loaded by train-router',
    },
    quantiles: calibrate(final, set.items),
    recoveredByShare: curve,
  };
  return routerWeightsSchema.parse(weights);
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'catalog/router-weights.v1.json' }, data: { type: 'string' } } });
  const weights = train(values.data ?? defaultDataDir());
  const text = `${JSON.stringify(weights)}\n`;
  writeFileSync(values.out!, text);
  console.log(`wrote ${values.out} (${(text.length / 1024).toFixed(1)} KiB, ${weights.buckets.length} n-gram weights)`);
}
