// `npx node cli/router/task-prior-check.ts`: would a prior per detected task type rank prompts without
// answer options (word problems, chat) better than the length prior does, *inside one topic*?
// Measured on the MMLU training split only (like train-router; nothing held out is read), each
// question with its options removed (transfer-check.ts stemOf), task detected on that stem.
//  - Inside a topic: GSM8K is one homogeneous source, so a prior only has to order prompts inside it.
//    Scores become percentile ranks within each subject before the pooled APGR, so differences
//    between subjects (which the stem format does not carry to other data) earn nothing.
//  - Area: (APGR − 0.5) · (strong − weak) in accuracy points, the gain over random ordering. It keeps
//    its sign where the strong model is the worse one (APGR's denominator turns negative there).
//  - A fitted rule per task: a ridge on the dense features, fitted on other subjects only (leave one
//    subject out) on within-subject-centred features and gains; compared with length by a paired
//    bootstrap over subjects (the unit a new kind of prompt differs by).
import { DENSE_FEATURES, extractFeatures } from '#core/routing/learned/features.ts';
import type { TaskType } from '#core/routing/learned/task-type.ts';
import { seededRandom } from '#core/shared/seeded-random.ts';
import { defaultDataDir, loadTrainingSet } from './datasets.ts';
import type { Benchmark } from './datasets.ts';
import { fitRidge, predictRidge } from './ridge.ts';
import { evaluateScores, modelScore } from './routellm-metrics.ts';
import { stemOf, tieBreak } from './transfer-check.ts';

/** MMLU's quantitative subjects: where word-problem-like questions live (decided before any outcome was read). */
export const QUANT_SUBJECTS = [
  'elementary_mathematics',
  'high_school_mathematics',
  'high_school_statistics',
  'college_mathematics',
  'abstract_algebra',
  'high_school_physics',
  'college_physics',
  'high_school_chemistry',
  'college_chemistry',
  'electrical_engineering',
  'econometrics',
];

/** Features that can vary on a stem: option-format features and the task one-hots are constant there. */
const FITTED = DENSE_FEATURES.flatMap((name, j) => (/option|^has_|^task_/.test(name) ? [] : [j]));
const LENGTH = DENSE_FEATURES.indexOf('log_chars');

export interface Ranking {
  apgr: number;
  /** Gain over random ordering in accuracy points (see above). */
  area: number;
}

/** Percentile rank of each value inside its subject (ties broken by a hash of the prompt). */
export function withinSubjectRanks(set: Benchmark, rows: readonly number[], values: readonly number[]): number[] {
  const bySubject = new Map<string, number[]>();
  for (const [k, i] of rows.entries()) {
    const list = bySubject.get(set.items[i]!.group);
    if (list) list.push(k);
    else bySubject.set(set.items[i]!.group, [k]);
  }
  const out = new Array<number>(rows.length).fill(0);
  for (const ks of bySubject.values()) {
    const key = (k: number) => values[k]! + tieBreak(set.items[rows[k]!]!.prompt);
    const sorted = [...ks].sort((a, b) => key(a) - key(b));
    sorted.forEach((k, r) => (out[k] = (r + 0.5) / sorted.length));
  }
  return out;
}

/** Within-subject ranking quality of `values` (one per row of `rows`). */
export function withinSubject(set: Benchmark, rows: readonly number[], values: readonly number[]): Ranking {
  const sub: Benchmark = { ...set, items: rows.map((i) => set.items[i]!) };
  const apgr = evaluateScores(sub, withinSubjectRanks(set, rows, values)).apgr;
  return { apgr, area: (apgr - 0.5) * (modelScore(sub, 'strong') - modelScore(sub, 'weak')) };
}

/** Subtracts each subject's mean from `values` over `rows` (only within-subject variation is left). */
function centred(set: Benchmark, rows: readonly number[], values: readonly number[]): number[] {
  const sums = new Map<string, { s: number; n: number }>();
  rows.forEach((i, k) => {
    const e = sums.get(set.items[i]!.group) ?? { s: 0, n: 0 };
    sums.set(set.items[i]!.group, { s: e.s + values[k]!, n: e.n + 1 });
  });
  return rows.map((i, k) => {
    const e = sums.get(set.items[i]!.group)!;
    return values[k]! - e.s / e.n;
  });
}

/**
 * Scores `target` rows with a ridge on the dense features fitted on `fitRows`, always leaving out the
 * subject being scored: within-subject-centred, standardised features; gain = strong − weak.
 */
export function leaveSubjectOut(set: Benchmark, dense: readonly Float64Array[], fitRows: readonly number[], target: readonly number[], lambda: number): number[] {
  const scores = new Array<number>(target.length).fill(0);
  for (const subject of new Set(target.map((i) => set.items[i]!.group))) {
    const train = fitRows.filter((i) => set.items[i]!.group !== subject);
    const columns = FITTED.map((j) => centred(set, train, train.map((i) => dense[i]![j]!)));
    const std = columns.map((c) => Math.sqrt(c.reduce((a, v) => a + v * v, 0) / c.length) || 1);
    const gains = centred(set, train, train.map((i) => set.items[i]!.strong - set.items[i]!.weak));
    const row = (values: (j: number) => number) => ({ index: new Uint32Array(0), value: new Float64Array(0), dense: Float64Array.from(FITTED, (_, c) => values(c) / std[c]!) });
    const model = fitRidge(train.map((_, k) => row((c) => columns[c]![k]!)), gains, { sparseColumns: 0, lambda, maxIterations: 200 });
    // Ranking inside the scored subject only needs the slopes: no centring at scoring time.
    target.forEach((i, k) => {
      if (set.items[i]!.group === subject) scores[k] = predictRidge(model, row((c) => dense[i]![FITTED[c]!]!));
    });
  }
  return scores;
}

/** 95% interval of area(a) − area(b) over resamples of whole subjects, seeded. */
export function subjectBootstrap(set: Benchmark, rows: readonly number[], a: readonly number[], b: readonly number[], resamples = 1000): [number, number] {
  const ra = withinSubjectRanks(set, rows, a);
  const rb = withinSubjectRanks(set, rows, b);
  const bySubject = new Map<string, number[]>();
  for (const [k, i] of rows.entries()) {
    const list = bySubject.get(set.items[i]!.group);
    if (list) list.push(k);
    else bySubject.set(set.items[i]!.group, [k]);
  }
  const subjects = [...bySubject.values()];
  const rand = seededRandom(21);
  const diffs: number[] = [];
  for (let r = 0; r < resamples; r += 1) {
    const ks = Array.from({ length: subjects.length }, () => subjects[Math.floor(rand() * subjects.length)]!).flat();
    const sub: Benchmark = { ...set, items: ks.map((k) => set.items[rows[k]!]!) };
    const gap = modelScore(sub, 'strong') - modelScore(sub, 'weak');
    const area = (ranks: number[]) => (evaluateScores(sub, ks.map((k) => ranks[k]!)).apgr - 0.5) * gap;
    const d = area(ra) - area(rb);
    if (Number.isFinite(d)) diffs.push(d);
  }
  diffs.sort((x, y) => x - y);
  return [diffs[Math.floor(0.025 * diffs.length)]!, diffs[Math.floor(0.975 * diffs.length)]!];
}

export interface Population {
  name: string;
  rows: number[];
  subjects: number;
  weak: number;
  strong: number;
  /** Each fittable dense feature alone, largest area first (APGR's order flips where strong < weak). */
  single: ({ feature: string } & Ranking)[];
}

export interface RuleCheck {
  name: string;
  rule: Ranking;
  length: Ranking;
  /** Paired bootstrap over subjects of rule − length, area in accuracy points. */
  interval: [number, number];
}

export interface TaskPriorReport {
  populations: Population[];
  rules: RuleCheck[];
}

export function taskPriorCheck(set: Benchmark, lambda = 100, resamples = 1000): TaskPriorReport {
  const features = set.items.map((it) => extractFeatures(stemOf(it.prompt), 0));
  const dense = features.map((f) => f.dense);
  const all = set.items.map((_, i) => i);
  const task = (t: TaskType) => all.filter((i) => features[i]!.task === t);
  const quant = all.filter((i) => QUANT_SUBJECTS.includes(set.items[i]!.group));
  const math = task('math');
  const groups: [string, number[]][] = [
    ['detector says math', math],
    ['detector says math, quantitative subjects', math.filter((i) => QUANT_SUBJECTS.includes(set.items[i]!.group))],
    ['quantitative subjects, any detected task', quant],
    ['detector says chat', task('chat')],
  ];
  const populations = groups.map(([name, rows]): Population => {
    const sub: Benchmark = { ...set, items: rows.map((i) => set.items[i]!) };
    const single = FITTED.map((j) => ({ feature: DENSE_FEATURES[j]!, ...withinSubject(set, rows, rows.map((i) => dense[i]![j]!)) }));
    single.sort((a, b) => b.area - a.area);
    return { name, rows, subjects: new Set(sub.items.map((it) => it.group)).size, weak: modelScore(sub, 'weak'), strong: modelScore(sub, 'strong'), single };
  });
  const check = (name: string, fitRows: number[], rows: number[]): RuleCheck => {
    const rule = leaveSubjectOut(set, dense, fitRows, rows, lambda);
    const length = rows.map((i) => dense[i]![LENGTH]!);
    return { name, rule: withinSubject(set, rows, rule), length: withinSubject(set, rows, length), interval: subjectBootstrap(set, rows, rule, length, resamples) };
  };
  const rules = [
    check('math prior: ridge fitted on the quantitative subjects, scored on "math" stems', quant, math),
    check('math prior: ridge fitted on all subjects, scored on "math" stems', all, math),
    check('chat prior: ridge fitted on all subjects, scored on "chat" stems', all, task('chat')),
  ];
  return { populations, rules };
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const set = loadTrainingSet(defaultDataDir());
  const report = taskPriorCheck(set);
  const fmt = (r: Ranking) => `${r.apgr.toFixed(3)} (${r.area >= 0 ? '+' : ''}${r.area.toFixed(2)} pts)`;
  console.log(`MMLU training split (${set.items.length} questions), options removed; within-subject APGR (area over random, accuracy points)`);
  for (const p of report.populations) {
    console.log(`\n${p.name}: ${p.rows.length} stems, ${p.subjects} subjects, weak ${p.weak.toFixed(1)}%, strong ${p.strong.toFixed(1)}%`);
    for (const s of p.single) console.log(`  ${s.feature.padEnd(22)} ${fmt(s)}`);
  }
  console.log('');
  for (const r of report.rules) {
    console.log(`${r.name}: ${fmt(r.rule)} vs length ${fmt(r.length)}; rule − length 95% [${r.interval.map((v) => v.toFixed(2)).join(', ')}] pts`);
  }
}
