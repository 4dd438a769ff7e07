// `npx node cli/router/analyse-training.ts`: the training-split measurements docs/learned-router.md quotes
// for why held-out MMLU stops short of 0.70 and why out-of-format prompts fall back to length.
// Reads the MMLU training split only (like train-router), nothing held out.
//  1. subject ceiling: score every validation-part question by its subject's mean gain on the rest
//     of the training split (a router that knows each question's subject exactly);
//  2. within-subject ranking: leave-subject-group-out (4 groups by subject-name hash), the APGR of
//     plain length and of the fitted within-subject model, averaged over subjects of >= 100 questions;
//  3. the GSM8K proxy: how the strong model's advantage varies with quantities and length in MMLU's
//     math and physics subjects.
import { DENSE_FEATURES, extractFeatures } from '#core/routing/learned/features.ts';
import { defaultDataDir, fnv1a32, loadTrainingSet } from './datasets.ts';
import type { Benchmark, Item } from './datasets.ts';
import { fitLogistic, logit, standardiser, standardise } from './logistic.ts';
import { evaluateScores } from './routellm-metrics.ts';

const set = loadTrainingSet(defaultDataDir());
const gain = (it: Item): number => (it.strong - it.weak + 1) / 2;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const isValidation = (it: Item): boolean => fnv1a32(`val:${it.prompt}`) % 100 < 30;
const rest = set.items.filter((it) => !isValidation(it));
const validation: Benchmark = { name: 'validation', items: set.items.filter(isValidation), scale: 100 };
const subjectGain = new Map<string, number[]>();
for (const it of rest) subjectGain.set(it.group, [...(subjectGain.get(it.group) ?? []), it.strong - it.weak]);
// A vanishing length term only breaks ties inside a subject, so the deciles stay well defined.
const ceiling = evaluateScores(validation, validation.items.map((it) => mean(subjectGain.get(it.group)!) + 1e-9 * it.prompt.length));
console.log(`subject ceiling on the validation part (${validation.items.length} questions): APGR ${ceiling.apgr.toFixed(3)}`);

function withinSubjects(items: Item[], score: (it: Item) => number): number {
  const bySubject = new Map<string, Item[]>();
  for (const it of items) bySubject.set(it.group, [...(bySubject.get(it.group) ?? []), it]);
  let sum = 0;
  let n = 0;
  for (const its of bySubject.values()) {
    if (its.length < 100 || mean(its.map((it) => it.strong - it.weak)) < 0.05) continue;
    sum += evaluateScores({ name: 's', items: its, scale: 100 }, its.map(score)).apgr * its.length;
    n += its.length;
  }
  return sum / n;
}

const group = (it: Item): number => fnv1a32(`fold:${it.group}`) % 4;
const lengthRuns: number[] = [];
const modelRuns: number[] = [];
for (let k = 0; k < 4; k += 1) {
  const train = set.items.filter((it) => group(it) !== k);
  const test = set.items.filter((it) => group(it) === k);
  const raw = train.map((it) => ({ dense: extractFeatures(it.prompt, 0).dense, buckets: new Uint32Array(0) }));
  const st = standardiser(raw);
  const y = train.map(gain);
  const bySubject = new Map<string, number[]>();
  train.forEach((it, i) => bySubject.set(it.group, [...(bySubject.get(it.group) ?? []), y[i]!]));
  const overall = mean(y);
  const offset = (it: Item) => {
    const g = bySubject.get(it.group)!;
    const p = (g.reduce((a, b) => a + b, 0) + 20 * overall) / (g.length + 20);
    return Math.log(p / (1 - p));
  };
  const model = fitLogistic(raw.map((r) => ({ dense: standardise(r.dense, st), buckets: r.buckets })), {
    targets: y, offsets: train.map(offset), bucketCount: 0, l2Dense: 0.001, l2Buckets: 0, steps: 300, learningRate: 0.05, useBuckets: false,
  });
  const score = (it: Item) => logit(model, { dense: standardise(extractFeatures(it.prompt, 0).dense, st), buckets: new Uint32Array(0) });
  lengthRuns.push(withinSubjects(test, (it) => it.prompt.length));
  modelRuns.push(withinSubjects(test, score));
}
console.log(`within-subject APGR, held-out subject groups: length ${mean(lengthRuns).toFixed(3)} (${lengthRuns.map((x) => x.toFixed(3)).join(' ')}), fitted dense model ${mean(modelRuns).toFixed(3)} (${modelRuns.map((x) => x.toFixed(3)).join(' ')})`);

// 3. GSM8K's in-domain proxy: MMLU's math and physics subjects. The MMLU answers are one generated
// token (no worked solution), so the question is whether multi-step cues (quantities, sentences) still
// mark questions where the strong model helps there.
const MATH = ['elementary_mathematics', 'high_school_mathematics', 'college_mathematics', 'high_school_statistics', 'high_school_physics', 'college_physics'];
const math = set.items.filter((it) => MATH.includes(it.group));
const pct = (xs: number[]) => (100 * mean(xs)).toFixed(1);
console.log(`math/physics subjects (${math.length} questions): weak ${pct(math.map((it) => it.weak))}%, strong ${pct(math.map((it) => it.strong))}%`);
for (const name of ['log_numbers', 'log_sentences', 'log_chars'] as const) {
  const j = DENSE_FEATURES.indexOf(name);
  const values = math.map((it) => extractFeatures(it.prompt, 0).dense[j]!);
  const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const above = math.filter((_, i) => values[i]! > median);
  const rest = math.filter((_, i) => values[i]! <= median);
  const gainOf = (its: Item[]) => (100 * mean(its.map((it) => it.strong - it.weak))).toFixed(1);
  console.log(`  ${name} above its median: strong - weak ${gainOf(above)} points (${above.length} questions); at or below: ${gainOf(rest)} points`);
}
