// `npm run train-router [-- --out catalog/router-weights.v1.json]`
// Trains the learned router on the MMLU training split only (datasets.ts PROTOCOL) and writes the
// versioned weights file the catalog points to. GSM8K and MT-Bench are never read here.
//
// Recipe (why: what transfers across datasets is difficulty *within* a topic, not the topic itself):
//  1. target per prompt: (strong - weak + 1) / 2, i.e. 1 when only the strong model is right, 0 when
//     only the weak one is, 0.5 when they agree: the expected gain APGR rewards;
//  2. within-topic model: logistic regression on the dense features with each MMLU subject's mean
//     target as a fixed offset, so the weights learn what makes a prompt harder than its subject's
//     average (length, quantities, steps, negation, option structure) rather than which subject it is;
//  3. topic model: hashed word unigrams+bigrams regressed on the subject's (smoothed) mean target, a
//     smooth target that keeps the n-grams from memorising single questions;
//  4. score = sigmoid(within + topicScale * topic); the calibration (score quantiles, gap recovered
//     per strong share) is measured on a validation part of the training split.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DENSE_FEATURES, extractFeatures } from '#core/routing/learned/features.ts';
import { compileRouter, promptLogit } from '#core/routing/learned/model.ts';
import { routerWeightsSchema } from '#core/routing/learned/weights.ts';
import type { RouterWeights } from '#core/routing/learned/weights.ts';
import { defaultDataDir, fnv1a32, loadTrainingSet, PROTOCOL, STRONG, WEAK } from './datasets.ts';
import type { Benchmark, Item } from './datasets.ts';
import { fitLogistic, standardiser, standardise } from './logistic.ts';
import type { Row } from './logistic.ts';
import { evaluateScores, modelScore } from './routellm-metrics.ts';

export const TRAINING = {
  bucketCount: 2048,
  target: '(strong - weak + 1) / 2',
  subjectPrior: 20,
  l2Dense: 0.001,
  l2Buckets: 0.001,
  steps: 300,
  learningRate: 0.05,
  topicScale: 0.5,
  validation: "fnv1a32('val:' + prompt) % 100 < 30 of the training split (calibration and the choice of topicScale)",
  pruneBelow: 1e-4,
} as const;

const target = (it: Item): number => (it.strong - it.weak + 1) / 2;
const isValidation = (it: Item): boolean => fnv1a32(`val:${it.prompt}`) % 100 < 30;
const round = (n: number, digits: number): number => Number(n.toFixed(digits));

/** Fits both parts on `items` and returns the weights (calibration fields left for the caller). */
function fit(items: Item[]): Omit<RouterWeights, 'quantiles' | 'recoveredByShare' | 'createdAt' | 'protocol'> {
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
  const within = fitLogistic(rows, {
    ...common,
    targets: y,
    offsets: items.map((it) => Math.log(subjectMean(it) / (1 - subjectMean(it)))),
    l2Dense: TRAINING.l2Dense,
    l2Buckets: 0,
    useBuckets: false,
  });
  const topic = fitLogistic(rows, { ...common, targets: items.map(subjectMean), l2Dense: 0, l2Buckets: TRAINING.l2Buckets, useBuckets: true, useDense: false });
  const buckets: [number, number][] = [];
  topic.buckets.forEach((w, b) => {
    if (Math.abs(w) >= TRAINING.pruneBelow) buckets.push([b, round(w, 4)]);
  });
  return {
    format: 'llm-router/learned-router',
    version: 1,
    pair: { strong: STRONG, weak: WEAK },
    features: { dense: [...DENSE_FEATURES], bucketCount: TRAINING.bucketCount },
    standardise: { mean: [...st.mean].map((v) => round(v, 6)), std: [...st.std].map((v) => round(v, 6)) },
    // The within part's bias is dropped: the topic part carries the level, only the ranking matters.
    bias: round(topic.bias * TRAINING.topicScale, 6),
    dense: [...within.dense].map((v) => round(v, 6)),
    buckets,
    topicScale: TRAINING.topicScale,
  };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

function calibrate(weights: RouterWeights, items: Item[]): number[] {
  const router = compileRouter(weights);
  const scores = items.map((it) => sigmoid(promptLogit(router, it.prompt).logit)).sort((a, b) => a - b);
  return Array.from({ length: 101 }, (_, i) => round(scores[Math.min(scores.length - 1, Math.floor((i / 100) * (scores.length - 1)))]!, 6));
}

/** Gap recovered at strong shares 0, 0.05 .. 1 on the validation part (the model fitted without it). */
function recoveredByShare(weights: RouterWeights, validation: Benchmark): number[] {
  const router = compileRouter(weights);
  const scores = validation.items.map((it) => promptLogit(router, it.prompt).logit);
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
  const fitPart = set.items.filter((it) => !isValidation(it));
  const validation: Benchmark = { name: 'validation', items: set.items.filter(isValidation), scale: set.scale };
  log(`training split: ${set.items.length} MMLU prompts (${fitPart.length} fit + ${validation.items.length} validation)`);
  const placeholder = { createdAt: '', protocol: {}, quantiles: new Array<number>(101).fill(0), recoveredByShare: new Array<number>(21).fill(0) };
  const partial = { ...fit(fitPart), ...placeholder };
  const curve = recoveredByShare(partial, validation);
  const valApgr = evaluateScores(validation, validation.items.map((it) => promptLogit(compileRouter(partial), it.prompt).logit)).apgr;
  log(`validation APGR (model fitted without it): ${valApgr.toFixed(4)}`);
  const final = { ...fit(set.items), ...placeholder };
  const weights: RouterWeights = {
    ...final,
    createdAt: new Date().toISOString(),
    protocol: {
      ...PROTOCOL,
      trainItems: set.items.length,
      training: TRAINING,
      validationApgr: round(valApgr, 4),
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
