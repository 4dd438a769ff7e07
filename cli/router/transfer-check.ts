// `npx node cli/router/transfer-check.ts`: which prompt signals would rank prompts of an unseen topic
// and format, measured on the MMLU training split only (like train-router; nothing held out is read).
// The out-of-format path of the learned router (prompts without answer options: word problems, chat)
// can only use signals that carry over; this is the evidence for keeping the length prior there.
//  - the format proxy: every training question with its answer options and "Answer:" removed;
//  - each dense feature alone (features.ts, as shipped), pooled over all subjects;
//  - a ridge on all dense features fitted with leave-subject-group-out (4 groups of subjects), so it
//    is always scored on subjects it never saw.
import { DENSE_FEATURES, extractFeatures } from '#core/routing/learned/features.ts';
import { defaultDataDir, fnv1a32, loadTrainingSet } from './datasets.ts';
import type { Benchmark, Item } from './datasets.ts';
import { standardiser } from './logistic.ts';
import { fitRidge, predictRidge } from './ridge.ts';
import { evaluateScores } from './routellm-metrics.ts';

/** The question without its answer options: the training format turned into an open question. */
export function stemOf(prompt: string): string {
  return prompt.replace(/^\s*[A-D][.)]\s+.*$/gm, '').replace(/\n\s*Answer:\s*$/, '').trim();
}

export interface TransferReport {
  /** Pooled APGR of each dense feature alone, highest first (the sign as the feature reads). */
  single: { feature: string; apgr: number }[];
  /** Pooled APGR of the dense ridge, each subject group scored by a fit that never saw it. */
  fittedUnseenSubjects: number;
  lambda: number;
}

const gain = (it: Item): number => (it.strong - it.weak + 1) / 2;
/**
 * A vanishing pseudo-random term (a hash of the prompt) that breaks ties, so the deciles stay defined for
 * count-like features and a constant feature scores as random (the file order follows the subjects).
 */
export const tieBreak = (prompt: string): number => 1e-9 * (fnv1a32(`tie:${prompt}`) / 2 ** 32);
const untied = (set: Benchmark, xs: readonly number[]): number[] => xs.map((x, i) => x + tieBreak(set.items[i]!.prompt));

export function transferCheck(set: Benchmark, lambda = 100, groups = 4): TransferReport {
  const dense = set.items.map((it) => extractFeatures(stemOf(it.prompt), 0).dense);
  const single = DENSE_FEATURES.map((feature, j) => ({ feature, apgr: evaluateScores(set, untied(set, dense.map((d) => d[j]!))).apgr }));
  single.sort((a, b) => b.apgr - a.apgr);
  const groupOf = (it: Item): number => fnv1a32(`fold:${it.group}`) % groups;
  const scores = new Array<number>(set.items.length).fill(0);
  for (let k = 0; k < groups; k += 1) {
    const train = set.items.flatMap((it, i) => (groupOf(it) === k ? [] : [i]));
    if (train.length === 0 || train.length === set.items.length) continue;
    const st = standardiser(train.map((i) => ({ dense: dense[i]!, buckets: new Uint32Array(0) })));
    const row = (i: number) => ({
      index: new Uint32Array(0),
      value: new Float64Array(0),
      dense: Float64Array.from(dense[i]!, (x, j) => (x - st.mean[j]!) / st.std[j]!),
    });
    const model = fitRidge(train.map(row), train.map((i) => gain(set.items[i]!)), { sparseColumns: 0, lambda, maxIterations: 200 });
    set.items.forEach((it, i) => {
      if (groupOf(it) === k) scores[i] = predictRidge(model, row(i));
    });
  }
  return { single, fittedUnseenSubjects: evaluateScores(set, untied(set, scores)).apgr, lambda };
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const set = loadTrainingSet(defaultDataDir());
  const report = transferCheck(set);
  console.log(`MMLU training split (${set.items.length} questions), answer options removed; pooled APGR of each feature alone:`);
  for (const { feature, apgr } of report.single) console.log(`  ${feature.padEnd(22)} ${apgr.toFixed(4)}`);
  console.log(`dense ridge (λ ${report.lambda}) scored on subject groups it never saw: ${report.fittedUnseenSubjects.toFixed(4)}`);
}
