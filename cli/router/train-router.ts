// `npm run train-router [-- --out catalog/router-weights.v2.json]`
// Trains the learned router on the MMLU training split only (datasets.ts PROTOCOL) and writes the
// versioned weights file the catalog points to. GSM8K and MT-Bench are never read here.
//
// Recipe (docs/learned-router.md has the measurements behind it):
//  - target per prompt: (strong - weak + 1) / 2, i.e. 1 when only the strong model is right, 0 when
//    only the weak one is, 0.5 when they agree: the expected gain APGR rewards;
//  - a text model that reads the question: ridge regression on the L2-normalised, sublinear TF-IDF
//    vector of hashed word unigrams, bigrams and character trigrams (8,192 buckets). Strong shrinkage
//    makes it learn what questions of a kind (a subject, a style of question) have in common rather
//    than memorise single questions; a second, lightly shrunk ridge on each subject's mean gain (the
//    topic) is mixed in, which is free at run time because both are linear in the same features;
//  - prompts without answer options (any other format) get the prompt-length prior, scaled to the
//    spread of the text model's out-of-fold scores (leave-subject-group-out CV on the training split
//    found no fitted feature set that ranks prompts inside an unseen topic better than length does);
//  - the shrinkage and the topic mix are picked by 5-fold cross-validation inside
//    the training split, whose out-of-fold scores also give the calibration (score quantiles and the
//    gap recovered per strong share);
//  - weights are quantised to one byte per bucket (idf unsigned, coefficients signed).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DENSE_FEATURES, extractFeatures } from '#core/routing/learned/features.ts';
import { compileRouter, scorePrompt } from '#core/routing/learned/model.ts';
import { encodeBytes, routerWeightsSchema } from '#core/routing/learned/weights.ts';
import type { RouterWeights } from '#core/routing/learned/weights.ts';
import { defaultDataDir, fnv1a32, loadTrainingSet, PROTOCOL, STRONG, WEAK } from './datasets.ts';
import type { Benchmark, Item } from './datasets.ts';
import { standardiser } from './logistic.ts';
import { fitRidge, predictRidge } from './ridge.ts';
import type { RidgeModel, SparseRow } from './ridge.ts';
import { evaluateScores, modelScore } from './routellm-metrics.ts';

export const TRAINING = {
  bucketCount: 8192,
  text: 'hashed word unigrams + bigrams + character trigrams of space-padded words; (1 + ln tf) * idf, L2-normalised',
  target: '(strong - weak + 1) / 2',
  model: 'ridge regression, conjugate gradients, intercept = mean target',
  folds: 5,
  crossValidation: "fold = fnv1a32('fold:' + prompt) % 5 within the training split: out-of-fold scores pick the settings and give the calibration",
  grid: { lambda: [16, 36, 64], topicMix: [0, 1] },
  /** Dense features as extra ridge columns (scale 0.1) did not help in cross-validation (see docs): off. */
  denseScale: 0,
  /** The topic ridge: targets are each subject's mean gain, smoothed toward the overall mean. */
  topic: { lambda: 1, subjectPrior: 20 },
  maxIterations: 400,
  idfScale: 0.05,
  /** Out of format (no answer options) the score ranks by length: see docs/learned-router.md. */
  outOfFormat: ['log_chars'],
} as const;

export const target = (it: Item): number => (it.strong - it.weak + 1) / 2;
export const foldOf = (it: Item): number => fnv1a32(`fold:${it.prompt}`) % TRAINING.folds;
const round = (n: number, digits: number): number => Number(n.toFixed(digits));

/** One training prompt's features: counted text buckets and the raw dense vector. */
export interface Prepared {
  index: Uint32Array;
  /** 1 + ln(term frequency), per index. */
  tf: Float64Array;
  dense: Float64Array;
}

export function prepare(item: Item): Prepared {
  const f = extractFeatures(item.prompt, TRAINING.bucketCount);
  const sorted = f.buckets.slice().sort();
  const index: number[] = [];
  const tf: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j += 1;
    index.push(sorted[i]!);
    tf.push(1 + Math.log(j - i));
    i = j;
  }
  return { index: Uint32Array.from(index), tf: Float64Array.from(tf), dense: f.dense };
}

export interface Settings {
  /** Shrinkage of the item-level ridge. */
  lambda: number;
  /** Weight of the topic ridge (in units of the two parts' spreads) added to the item-level one. */
  topicMix: number;
}

export interface Fitted {
  settings: Settings;
  /** Quantised idf per bucket (as the shipped model will use it). */
  idfBytes: Uint8Array;
  standardise: { mean: Float64Array; std: Float64Array };
  ridge: RidgeModel;
}

/** Each item's subject mean gain, smoothed toward the overall mean (the topic ridge's target). */
function subjectTargets(items: readonly Item[], targets: readonly number[]): number[] {
  const overall = targets.reduce((a, b) => a + b, 0) / targets.length;
  const sums = new Map<string, { sum: number; n: number }>();
  items.forEach((it, i) => {
    const s = sums.get(it.group) ?? { sum: 0, n: 0 };
    s.sum += targets[i]!;
    s.n += 1;
    sums.set(it.group, s);
  });
  const k = TRAINING.topic.subjectPrior;
  return items.map((it) => {
    const s = sums.get(it.group)!;
    return (s.sum + k * overall) / (s.n + k);
  });
}

const spread = (xs: readonly number[]): number => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

/**
 * Fits the text model on `rows`: an item-level ridge (each question's own gain, strongly shrunk) plus,
 * with topicMix > 0, a topic ridge (the subject's mean gain, lightly shrunk). Both are linear in the
 * same features, so their mix is one coefficient vector: ensembling costs nothing at decision time.
 */
export function fit(items: readonly Item[], rows: Prepared[], targets: number[], settings: Settings): Fitted {
  const df = new Float64Array(TRAINING.bucketCount);
  for (const r of rows) for (const b of r.index) df[b] = df[b]! + 1;
  // Smoothed idf as scikit-learn's: ln((1 + n) / (1 + df)) + 1, quantised before fitting so the
  // model is fitted on exactly the vectors it will score.
  const idfBytes = Uint8Array.from(df, (d) => Math.min(255, Math.round((Math.log((1 + rows.length) / (1 + d)) + 1) / TRAINING.idfScale)));
  const st = standardiser(rows.map((r) => ({ dense: r.dense, buckets: new Uint32Array(0) })));
  const design: SparseRow[] = rows.map((r) => {
    const value = Float64Array.from(r.index, (b, k) => r.tf[k]! * idfBytes[b]! * TRAINING.idfScale);
    const norm = Math.sqrt(value.reduce((s, v) => s + v * v, 0)) || 1;
    for (let k = 0; k < value.length; k += 1) value[k] = value[k]! / norm;
    const dense = TRAINING.denseScale > 0 ? Float64Array.from(r.dense, (x, j) => (TRAINING.denseScale * (x - st.mean[j]!)) / st.std[j]!) : new Float64Array(0);
    return { index: r.index, value, dense };
  });
  const options = { sparseColumns: TRAINING.bucketCount, maxIterations: TRAINING.maxIterations };
  const ridge = fitRidge(design, targets, { ...options, lambda: settings.lambda });
  if (settings.topicMix > 0) {
    const topic = fitRidge(design, subjectTargets(items, targets), { ...options, lambda: TRAINING.topic.lambda });
    const ratio = spread(design.map((r) => predictRidge(ridge, r))) / spread(design.map((r) => predictRidge(topic, r)));
    const mix = settings.topicMix * ratio;
    for (let b = 0; b < ridge.sparse.length; b += 1) ridge.sparse[b] = ridge.sparse[b]! + mix * topic.sparse[b]!;
    for (let j = 0; j < ridge.dense.length; j += 1) ridge.dense[j] = ridge.dense[j]! + mix * topic.dense[j]!;
  }
  return { settings, idfBytes, standardise: st, ridge };
}

/** The weights file body of a fitted model (calibration filled in by the caller). */
export function assemble(fitted: Fitted): RouterWeights {
  const coef = fitted.ridge.sparse;
  let max = 0;
  for (const c of coef) max = Math.max(max, Math.abs(c));
  const weightScale = max / 127;
  const bytes = Int8Array.from(coef, (c) => (weightScale > 0 ? Math.round(c / weightScale) : 0));
  const dense = DENSE_FEATURES.map((_, j) => (TRAINING.denseScale > 0 ? round(TRAINING.denseScale * fitted.ridge.dense[j]!, 6) : 0));
  return {
    format: 'llm-router/learned-router',
    version: 2,
    createdAt: '',
    pair: { strong: STRONG, weak: WEAK },
    protocol: {},
    features: { dense: [...DENSE_FEATURES], bucketCount: TRAINING.bucketCount },
    standardise: { mean: [...fitted.standardise.mean].map((v) => round(v, 6)), std: [...fitted.standardise.std].map((v) => round(v, 6)) },
    bias: round(fitted.ridge.intercept, 6),
    dense,
    text: { idfScale: TRAINING.idfScale, idf: encodeBytes(fitted.idfBytes), weightScale: Number(weightScale.toPrecision(8)), weights: encodeBytes(new Uint8Array(bytes.buffer)) },
    prior: { features: [...TRAINING.outOfFormat], weight: 0, level: round(fitted.ridge.intercept, 6) },
    quantiles: new Array<number>(101).fill(0),
    recoveredByShare: new Array<number>(21).fill(0),
  };
}

/** 101 quantiles (nearest rank) of scores. */
function quantilesOf(scores: readonly number[]): number[] {
  const sorted = [...scores].sort((a, b) => a - b);
  return Array.from({ length: 101 }, (_, i) => round(sorted[Math.min(sorted.length - 1, Math.floor((i / 100) * (sorted.length - 1)))]!, 6));
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
  const prepared = set.items.map(prepare);
  const hasOptions = DENSE_FEATURES.indexOf('has_options');
  log(`multiple-choice format recognised in ${prepared.filter((p) => p.dense[hasOptions] === 1).length} of ${set.items.length} training prompts`);
  const targets = set.items.map(target);

  const grid: Settings[] = TRAINING.grid.lambda.flatMap((lambda) => TRAINING.grid.topicMix.map((topicMix) => ({ lambda, topicMix })));
  // Out-of-fold scores per setting: every training prompt scored (with the quantised weights, as
  // shipped) by a model fitted without its fold.
  const outOfFold = grid.map(() => new Array<number>(set.items.length).fill(0));
  for (let k = 0; k < TRAINING.folds; k += 1) {
    const inFold = set.items.map((it) => foldOf(it) !== k);
    const items = set.items.filter((_, i) => inFold[i]);
    const rows = prepared.filter((_, i) => inFold[i]);
    const ys = targets.filter((_, i) => inFold[i]);
    grid.forEach((settings, g) => {
      const router = compileRouter(routerWeightsSchema.parse(assemble(fit(items, rows, ys, settings))));
      set.items.forEach((it, i) => {
        if (!inFold[i]) outOfFold[g]![i] = scorePrompt(router, it.prompt).score;
      });
    });
    log(`  fold ${k + 1}/${TRAINING.folds} fitted`);
  }
  const apgrs = grid.map((settings, g) => {
    const apgr = evaluateScores(set, outOfFold[g]!).apgr;
    log(`  out-of-fold APGR ${apgr.toFixed(4)} for ${JSON.stringify(settings)}`);
    return apgr;
  });
  const best = apgrs.reduce((b, a, g) => (a > apgrs[b]! ? g : b), 0);
  const chosen = { settings: grid[best]!, apgr: apgrs[best]! };
  log(`chosen by cross-validation: ${JSON.stringify(chosen.settings)} (out-of-fold APGR ${chosen.apgr.toFixed(4)})`);
  const oof = outOfFold[best]!;
  const mean = oof.reduce((a, b) => a + b, 0) / oof.length;

  const final = assemble(fit(set.items, prepared, targets, chosen.settings));
  const weights: RouterWeights = {
    ...final,
    createdAt: new Date().toISOString(),
    protocol: {
      ...PROTOCOL,
      trainItems: set.items.length,
      training: TRAINING,
      settings: chosen.settings,
      crossValidatedApgr: round(chosen.apgr, 4),
      neverRead: 'held-out MMLU, GSM8K and MT-Bench are not loaded by train-router',
    },
    // Out of format: one standard deviation of length moves the score by one standard deviation of
    // the text model's out-of-fold scores, around their mean.
    prior: { ...final.prior, weight: round(spread(oof), 6), level: round(mean, 6) },
    quantiles: quantilesOf(oof),
    recoveredByShare: recoveredByShare(oof, set),
  };
  return routerWeightsSchema.parse(weights);
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'catalog/router-weights.v2.json' }, data: { type: 'string' } } });
  const weights = train(values.data ?? defaultDataDir());
  const text = `${JSON.stringify(weights)}\n`;
  writeFileSync(values.out!, text);
  console.log(`wrote ${values.out} (${(text.length / 1024).toFixed(1)} KiB)`);
}
