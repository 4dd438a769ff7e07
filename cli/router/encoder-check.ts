// `npx node cli/router/encoder-check.ts --cv --decision /tmp/encoder-decision.json` (training split only), then
// `npx node cli/router/encoder-check.ts --final --decision /tmp/encoder-decision.json` (the one look).
// Would a real sentence encoder's embedding, as the learned router's features, beat the shipped router,
// and does what it learns on MMLU transfer to GSM8K? An offline experiment (docs/learned-router.md,
// "fifth round"): the encoder cannot ship in the router (tens of MB of weights, milliseconds per prompt).
//  --cv     reads only the MMLU training split (datasets.ts loadTrainingSet). In format (questions with
//           their options): 5-fold out-of-fold APGR on train-router's folds for the shipped recipe, a
//           ridge on the embedding, and z-score mixes of the two. Out of format (the options removed,
//           as transfer-check.ts): every subject scored by a fit that never saw it (leave one subject
//           out), pooled APGR and within-subject APGR (task-prior-check.ts), against the length prior.
//           Applies the decision rule written below and saves the choice to --decision.
//  --final  fits the chosen models on the whole training split and scores held-out MMLU, GSM8K and
//           MT-Bench once, next to eval-router's rows (shipped weights, length, random).
// The encoder module: BENCH_EMBED_MODULE (default bench/support/use-lite-embedder.ts); vectors are
// cached under BENCH_EMBED_CACHE (embedding-cache.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DENSE_FEATURES, extractFeatures } from '#core/routing/learned/features.ts';
import { compileRouter, promptLogit, scorePrompt } from '#core/routing/learned/model.ts';
import { routerWeightsSchema } from '#core/routing/learned/weights.ts';
import { seededRandom } from '#core/shared/seeded-random.ts';
import { defaultDataDir, loadGsm8k, loadMmluHeldOut, loadMtBench, loadTrainingSet } from './datasets.ts';
import type { Benchmark } from './datasets.ts';
import { accumulate, combine, emptyStats, predictDense, solveRidge, subtract } from './dense-ridge.ts';
import type { DenseRidge, RidgeStats } from './dense-ridge.ts';
import { embedAll } from './embedding-cache.ts';
import type { Embedded } from './embedding-cache.ts';
import { evaluateAll, questionBootstrap, renderTable } from './eval-router.ts';
import { evaluateScores } from './routellm-metrics.ts';
import { subjectBootstrap, withinSubject } from './task-prior-check.ts';
import { fit, foldOf, prepare, target, TRAINING, assemble } from './train-router.ts';
import { stemOf, tieBreak } from './transfer-check.ts';

/** Shrinkages tried for the embedding ridge (embeddings have unit length, so λ is in units of rows). */
export const LAMBDAS = [1, 3, 10, 30, 100, 300];
/** Weights of the embedding score in a z-score mix with the other score (shipped text model or length). */
export const MIXES = [0.25, 0.5, 1, 2, 4];
/** Shrinkages tried for the topic ridge (subject mean gains) mixed into the embedding ridge, as train-router does. */
export const TOPIC_LAMBDAS = [0.3, 3, 30];
/** The shipped recipe's setting (router-weights.v2: λ 36 with the topic ridge). */
const SHIPPED = { lambda: 36, topicMix: 1 };
const HAS_OPTIONS = DENSE_FEATURES.indexOf('has_options');

/**
 * The decision rule, fixed before the one look at held-out numbers:
 *  - in format: the candidate with the best 5-fold out-of-fold APGR (embedding ridge alone, or mixed
 *    with the shipped text model); it counts as better than the shipped recipe only if the paired
 *    bootstrap over questions (1,000 resamples) of the APGR difference excludes 0;
 *  - out of format: the best leave-subject-out candidate on within-subject APGR (GSM8K is one topic);
 *    it replaces the length prior only if the paired bootstrap over subjects of the within-subject
 *    area difference excludes 0;
 *  - the one look scores that composite and, whatever the rule chose, the pure-encoder models (the
 *    in-format ridge on every prompt; the stem ridge on every prompt), so transfer is measured either way.
 */
export interface Decision {
  inFormat: { kind: 'shipped' | 'embedding' | 'embedding+topic' | 'mix'; lambda: number; topicLambda: number; mix: number; apgr: number; interval: [number, number] | null };
  outOfFormat: { kind: 'length' | 'stem-embedding' | 'stem-embedding+length'; lambda: number; centred: boolean; mix: number; within: number; interval: [number, number] | null };
  stemLambda: number;
  stemCentred: boolean;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length) || 1;
};
/** z-score against a reference distribution (the training split's scores). */
export const zScorer = (ref: readonly number[]): ((x: number) => number) => {
  const m = mean(ref);
  const s = sd(ref);
  return (x) => (x - m) / s;
};
const zAgainst = (xs: readonly number[], ref: readonly number[]): number[] => xs.map(zScorer(ref));
const mixScores = (a: readonly number[], b: readonly number[], weightOfB: number): number[] => a.map((x, i) => x + weightOfB * b[i]!);
const logChars = (text: string): number => Math.log(1 + text.length);

/** 95% interval of APGR(a) − APGR(b) over resamples of questions, seeded. */
export function pairedQuestionBootstrap(bench: Benchmark, a: readonly number[], b: readonly number[], resamples = 1000): [number, number] {
  const apgr = (sample: Benchmark, idx: readonly number[], scores: readonly number[]): number => evaluateScores(sample, idx.map((i) => scores[i]!)).apgr;
  return questionBootstrap(bench, (sample, idx) => apgr(sample, idx, a) - apgr(sample, idx, b), 31, resamples);
}

/** Statistics per group label of the rows (folds or subjects). */
function statsByGroup(vectors: Embedded, y: readonly number[], groupOf: readonly (string | number)[]): Map<string | number, RidgeStats> {
  const rows = new Map<string | number, number[]>();
  groupOf.forEach((g, i) => {
    const list = rows.get(g);
    if (list) list.push(i);
    else rows.set(g, [i]);
  });
  return new Map([...rows].map(([g, rs]) => [g, accumulate(emptyStats(vectors.dim), vectors.vectors, y, rs)]));
}

/** Out-of-group scores: every row scored by a ridge fitted on the other groups, per λ. */
function outOfGroup(vectors: Embedded, y: readonly number[], groupOf: readonly (string | number)[], lambdas: readonly number[], scoreVectors: Embedded = vectors): number[][] {
  const byGroup = statsByGroup(vectors, y, groupOf);
  const total = combine(vectors.dim, [...byGroup.values()]);
  const out = lambdas.map(() => new Array<number>(y.length).fill(0));
  for (const [g, stats] of byGroup) {
    const train = subtract(total, stats);
    lambdas.forEach((lambda, l) => {
      const model = solveRidge(train, lambda);
      groupOf.forEach((h, i) => {
        if (h === g) out[l]![i] = predictDense(model, scoreVectors.vectors, i);
      });
    });
  }
  return out;
}

/** Rows centred on their subject's mean (vectors and targets): leaves only within-subject variation. */
function centredBySubject(set: Benchmark, vectors: Embedded, y: readonly number[]): { vectors: Embedded; y: number[] } {
  const d = vectors.dim;
  const sums = new Map<string, { x: Float64Array; y: number; n: number }>();
  set.items.forEach((it, i) => {
    const s = sums.get(it.group) ?? { x: new Float64Array(d), y: 0, n: 0 };
    for (let a = 0; a < d; a += 1) s.x[a] = s.x[a]! + vectors.vectors[i * d + a]!;
    s.y += y[i]!;
    s.n += 1;
    sums.set(it.group, s);
  });
  const out = new Float32Array(vectors.vectors.length);
  set.items.forEach((it, i) => {
    const s = sums.get(it.group)!;
    for (let a = 0; a < d; a += 1) out[i * d + a] = vectors.vectors[i * d + a]! - s.x[a]! / s.n;
  });
  return { vectors: { dim: d, vectors: out }, y: set.items.map((it, i) => y[i]! - sums.get(it.group)!.y / sums.get(it.group)!.n) };
}

/**
 * The shipped recipe's topic trick on the embedding: an item-level ridge plus a ridge on each subject's
 * mean gain (from `rows` only, smoothed toward the overall mean with train-router's 20 pseudo-questions),
 * mixed 1:1 in units of the two parts' spreads on `rows`. Both are linear in the embedding: one model.
 */
export function fitWithTopic(set: Benchmark, vectors: Embedded, y: readonly number[], rows: readonly number[], lambda: number, topicLambda: number): DenseRidge {
  const overall = mean(rows.map((i) => y[i]!));
  const sums = new Map<string, { s: number; n: number }>();
  for (const i of rows) {
    const e = sums.get(set.items[i]!.group) ?? { s: 0, n: 0 };
    sums.set(set.items[i]!.group, { s: e.s + y[i]!, n: e.n + 1 });
  }
  const k = TRAINING.topic.subjectPrior;
  const topicY = set.items.map((it) => {
    const e = sums.get(it.group);
    return e ? (e.s + k * overall) / (e.n + k) : overall;
  });
  const item = solveRidge(accumulate(emptyStats(vectors.dim), vectors.vectors, y, rows), lambda);
  const topic = solveRidge(accumulate(emptyStats(vectors.dim), vectors.vectors, topicY, rows), topicLambda);
  const ratio = sd(rows.map((i) => predictDense(item, vectors.vectors, i))) / sd(rows.map((i) => predictDense(topic, vectors.vectors, i)));
  return { intercept: item.intercept + ratio * topic.intercept, mean: item.mean, weights: item.weights.map((w, a) => w + ratio * topic.weights[a]!) };
}

const untie = (set: Benchmark, xs: readonly number[]): number[] => xs.map((x, i) => x + tieBreak(set.items[i]!.prompt));

/** Out-of-fold scores of the shipped recipe (train-router's fit at v2's setting, scored as shipped). */
function shippedOutOfFold(set: Benchmark, log: (line: string) => void): number[] {
  const prepared = set.items.map(prepare);
  const targets = set.items.map(target);
  const out = new Array<number>(set.items.length).fill(0);
  for (let k = 0; k < TRAINING.folds; k += 1) {
    const inFold = set.items.map((it) => foldOf(it) !== k);
    const router = compileRouter(routerWeightsSchema.parse(assemble(fit(set.items.filter((_, i) => inFold[i]), prepared.filter((_, i) => inFold[i]), targets.filter((_, i) => inFold[i]), SHIPPED))));
    set.items.forEach((it, i) => {
      if (!inFold[i]) out[i] = promptLogit(router, it.prompt).logit;
    });
    log(`  shipped recipe, fold ${k + 1}/${TRAINING.folds} fitted`);
  }
  return out;
}

export async function crossValidate(dataDir: string, log: (line: string) => void = console.log): Promise<Decision> {
  const set = loadTrainingSet(dataDir);
  const y = set.items.map(target);
  log(`MMLU training split: ${set.items.length} questions (nothing else is read)`);
  const full = await embedAll(set.items.map((it) => it.prompt), 'mmlu-train-full', log);
  const stems = set.items.map((it) => stemOf(it.prompt));
  const stem = await embedAll(stems, 'mmlu-train-stem', log);

  // In format: 5-fold out-of-fold APGR on train-router's folds.
  const folds = set.items.map(foldOf);
  const shipped = shippedOutOfFold(set, log);
  const refApgr = evaluateScores(set, shipped).apgr;
  log(`\nIn format, 5-fold out-of-fold APGR (training split)\n  shipped recipe (λ 36 + topic): ${refApgr.toFixed(4)}`);
  const emb = outOfGroup(full, y, folds, LAMBDAS);
  const embApgr = emb.map((s) => evaluateScores(set, s).apgr);
  LAMBDAS.forEach((lambda, l) => log(`  embedding ridge, λ ${lambda}: ${embApgr[l]!.toFixed(4)}`));
  const bestL = embApgr.indexOf(Math.max(...embApgr));
  const zShipped = zAgainst(shipped, shipped);
  const zEmb = zAgainst(emb[bestL]!, emb[bestL]!);
  const mixApgr = MIXES.map((m) => evaluateScores(set, mixScores(zShipped, zEmb, m)).apgr);
  MIXES.forEach((m, k) => log(`  shipped + ${m} × embedding (λ ${LAMBDAS[bestL]}), z-scores: ${mixApgr[k]!.toFixed(4)}`));
  const bestM = mixApgr.indexOf(Math.max(...mixApgr));
  const topicScores = TOPIC_LAMBDAS.map(() => new Array<number>(set.items.length).fill(0));
  for (let k = 0; k < TRAINING.folds; k += 1) {
    const rows = set.items.flatMap((_, i) => (folds[i] !== k ? [i] : []));
    TOPIC_LAMBDAS.forEach((topicLambda, t) => {
      const model = fitWithTopic(set, full, y, rows, LAMBDAS[bestL]!, topicLambda);
      folds.forEach((f, i) => {
        if (f === k) topicScores[t]![i] = predictDense(model, full.vectors, i);
      });
    });
  }
  const topicApgr = topicScores.map((sc) => evaluateScores(set, sc).apgr);
  TOPIC_LAMBDAS.forEach((tl, t) => log(`  embedding ridge (λ ${LAMBDAS[bestL]}) + topic ridge (λ ${tl}), 1:1 in spreads: ${topicApgr[t]!.toFixed(4)}`));
  const bestT = topicApgr.indexOf(Math.max(...topicApgr));
  const inCandidates = [
    { kind: 'shipped' as const, apgr: refApgr, scores: shipped, mix: 0 },
    { kind: 'embedding' as const, apgr: embApgr[bestL]!, scores: emb[bestL]!, mix: 0 },
    { kind: 'embedding+topic' as const, apgr: topicApgr[bestT]!, scores: topicScores[bestT]!, mix: 0 },
    { kind: 'mix' as const, apgr: mixApgr[bestM]!, scores: mixScores(zShipped, zEmb, MIXES[bestM]!), mix: MIXES[bestM]! },
  ].sort((a, b) => b.apgr - a.apgr);
  const inBest = inCandidates[0]!;
  const inInterval = inBest.kind === 'shipped' ? null : pairedQuestionBootstrap(set, inBest.scores, shipped);
  for (const c of inCandidates.filter((c) => c.kind !== 'shipped')) {
    const ci = c === inBest ? inInterval! : pairedQuestionBootstrap(set, c.scores, shipped);
    log(`  ${c.kind} − shipped: ${(c.apgr - refApgr).toFixed(4)}, paired bootstrap over questions 95% [${ci.map((v) => v.toFixed(4)).join(', ')}]`);
  }

  // Out of format: stems, every subject scored by a fit that never saw it.
  const subjects = set.items.map((it) => it.group);
  const all = set.items.map((_, i) => i);
  const length = untie(set, stems.map(logChars));
  const math = all.filter((i) => extractFeatures(stems[i]!, 0).task === 'math');
  const centred = centredBySubject(set, stem, y);
  const variants = [
    { name: 'stem embedding ridge', centred: false, scores: outOfGroup(stem, y, subjects, LAMBDAS) },
    { name: 'stem embedding ridge, within-subject-centred fit', centred: true, scores: outOfGroup(centred.vectors, centred.y, subjects, LAMBDAS, stem) },
  ];
  // The in-format model (full prompts) applied to the stems: the transfer a model trained as is would make.
  const fullOnStem = outOfGroup(full, y, subjects, [LAMBDAS[bestL]!], stem)[0]!;
  const lengthWithin = withinSubject(set, all, length);
  log(`\nOut of format (options removed), each subject scored by a fit without it: pooled APGR; within-subject APGR (area, pts)`);
  const fmt = (scores: readonly number[], rows: readonly number[] = all) => {
    const w = withinSubject(set, rows, rows.map((i) => scores[i]!));
    const pooled = evaluateScores({ ...set, items: rows.map((i) => set.items[i]!) }, rows.map((i) => scores[i]!)).apgr;
    return `${pooled.toFixed(4)}; ${w.apgr.toFixed(4)} (${w.area >= 0 ? '+' : ''}${w.area.toFixed(2)})`;
  };
  log(`  length (log chars): ${fmt(length)}; on the ${math.length} stems the detector calls math: ${fmt(length, math)}`);
  log(`  in-format embedding model (λ ${LAMBDAS[bestL]}, full prompts) on stems: ${fmt(fullOnStem)}; math stems: ${fmt(fullOnStem, math)}`);
  const outCandidates: { name: string; kind: Decision['outOfFormat']['kind']; lambda: number; centred: boolean; mix: number; scores: number[]; within: number }[] = [];
  for (const v of variants) {
    LAMBDAS.forEach((lambda, l) => {
      const s = v.scores[l]!;
      log(`  ${v.name}, λ ${lambda}: ${fmt(s)}; math stems: ${fmt(s, math)}`);
      outCandidates.push({ name: `${v.name}, λ ${lambda}`, kind: 'stem-embedding', lambda, centred: v.centred, mix: 0, scores: s, within: withinSubject(set, all, s).apgr });
    });
  }
  const bestStem = outCandidates.reduce((b, c) => (c.within > b.within ? c : b));
  const zStem = zAgainst(bestStem.scores, bestStem.scores);
  const zLength = zAgainst(length, length);
  for (const m of MIXES) {
    const s = mixScores(zLength, zStem, m);
    log(`  length + ${m} × (${bestStem.name}), z-scores: ${fmt(s)}; math stems: ${fmt(s, math)}`);
    outCandidates.push({ name: `length + ${m} × stem`, kind: 'stem-embedding+length', lambda: bestStem.lambda, centred: bestStem.centred, mix: m, scores: s, within: withinSubject(set, all, s).apgr });
  }
  const outBest = outCandidates.reduce((b, c) => (c.within > b.within ? c : b));
  const outInterval = subjectBootstrap(set, all, outBest.scores, length);
  log(`  best on within-subject APGR: ${outBest.name} ${outBest.within.toFixed(4)} vs length ${lengthWithin.apgr.toFixed(4)}; area difference, paired bootstrap over subjects 95% [${outInterval.map((v) => v.toFixed(2)).join(', ')}] pts`);
  const mathInterval = subjectBootstrap(set, math, math.map((i) => outBest.scores[i]!), math.map((i) => length[i]!));
  log(`  same on the math stems: 95% [${mathInterval.map((v) => v.toFixed(2)).join(', ')}] pts`);

  const inWins = inBest.kind !== 'shipped' && inInterval !== null && inInterval[0] > 0;
  const outWins = outInterval[0] > 0;
  const decision: Decision = {
    inFormat: inWins
      ? { kind: inBest.kind, lambda: LAMBDAS[bestL]!, topicLambda: TOPIC_LAMBDAS[bestT]!, mix: inBest.mix, apgr: inBest.apgr, interval: inInterval }
      : { kind: 'shipped', lambda: LAMBDAS[bestL]!, topicLambda: TOPIC_LAMBDAS[bestT]!, mix: 0, apgr: refApgr, interval: inInterval },
    outOfFormat: outWins
      ? { kind: outBest.kind, lambda: outBest.lambda, centred: outBest.centred, mix: outBest.mix, within: outBest.within, interval: outInterval }
      : { kind: 'length', lambda: outBest.lambda, centred: outBest.centred, mix: 0, within: lengthWithin.apgr, interval: outInterval },
    stemLambda: bestStem.lambda,
    stemCentred: bestStem.centred,
  };
  log(`\ndecision: ${JSON.stringify(decision)}`);
  return decision;
}

/** The one look: chosen models fitted on the whole training split, scored on the three evaluation sets. */
export async function finalLook(dataDir: string, decision: Decision, weightsPath: string, resamples: number, log: (line: string) => void = console.log): Promise<string> {
  const set = loadTrainingSet(dataDir);
  const y = set.items.map(target);
  const full = await embedAll(set.items.map((it) => it.prompt), 'mmlu-train-full', log);
  const stemTexts = set.items.map((it) => stemOf(it.prompt));
  const stem = await embedAll(stemTexts, 'mmlu-train-stem', log);
  const fitAll = (vectors: Embedded, targets: readonly number[], lambda: number): DenseRidge =>
    solveRidge(accumulate(emptyStats(vectors.dim), vectors.vectors, targets, targets.map((_, i) => i)), lambda);
  const inModel = fitAll(full, y, decision.inFormat.lambda);
  const topicModel = fitWithTopic(set, full, y, y.map((_, i) => i), decision.inFormat.lambda, decision.inFormat.topicLambda);
  const stemData = decision.stemCentred ? centredBySubject(set, stem, y) : { vectors: stem, y };
  const stemModel = fitAll(stemData.vectors, stemData.y, decision.stemLambda);
  const shippedRouter = compileRouter(routerWeightsSchema.parse(JSON.parse(readFileSync(weightsPath, 'utf8'))));
  // Reference distributions for the z-score mixes: the training split's own (in-sample) scores.
  const zIn = zScorer(set.items.map((_, i) => predictDense(inModel, full.vectors, i)));
  const zTopic = zScorer(set.items.map((_, i) => predictDense(topicModel, full.vectors, i)));
  const zShipped = zScorer(set.items.map((it) => promptLogit(shippedRouter, it.prompt).logit));
  const zStem = zScorer(set.items.map((_, i) => predictDense(stemModel, stem.vectors, i)));
  const zLength = zScorer(stemTexts.map(logChars));

  const lines = ['| benchmark | router | APGR | 95% interval | CPT(50%) | CPT(80%) | − shipped v2, paired bootstrap 95% |', '|---|---|---:|---|---:|---:|---|'];
  for (const bench of [loadMmluHeldOut(dataDir), loadGsm8k(dataDir), loadMtBench(dataDir)]) {
    const prompts = bench.items.map((it) => it.prompt);
    const vectors = await embedAll(prompts, bench.name, log);
    const hasOptions = prompts.map((p) => extractFeatures(p, 0).dense[HAS_OPTIONS] === 1);
    const shipped = prompts.map((p) => promptLogit(shippedRouter, p).logit);
    const embIn = bench.items.map((_, i) => predictDense(inModel, vectors.vectors, i));
    const embTopic = bench.items.map((_, i) => predictDense(topicModel, vectors.vectors, i));
    // Out of format the prompt is already a stem; in format the stem model reads the question without its options.
    const stemVectors = hasOptions.some(Boolean) ? await embedAll(prompts.map(stemOf), `${bench.name}-stem`, log) : vectors;
    const embStem = bench.items.map((_, i) => predictDense(stemModel, stemVectors.vectors, i));
    const inScore = (i: number): number => {
      if (decision.inFormat.kind === 'shipped') return zShipped(shipped[i]!);
      if (decision.inFormat.kind === 'embedding') return zIn(embIn[i]!);
      if (decision.inFormat.kind === 'embedding+topic') return zTopic(embTopic[i]!);
      return zShipped(shipped[i]!) + decision.inFormat.mix * zIn(embIn[i]!);
    };
    const outScore = (i: number): number => {
      const len = zLength(logChars(prompts[i]!));
      if (decision.outOfFormat.kind === 'length') return len;
      const s = zStem(embStem[i]!);
      return decision.outOfFormat.kind === 'stem-embedding' ? s : len + decision.outOfFormat.mix * s;
    };
    const composite = bench.items.map((_, i) => (hasOptions[i] ? inScore(i) : outScore(i)));
    log(`${bench.name}: ${hasOptions.filter(Boolean).length} of ${prompts.length} prompts in the training format`);
    const rows: [string, number[]][] = [
      ['encoder router (the decision rule\'s composite)', composite],
      [`embedding ridge trained on full MMLU prompts (λ ${decision.inFormat.lambda}), every prompt`, embIn],
      [`same + topic ridge (λ ${decision.inFormat.topicLambda}), every prompt`, embTopic],
      [`embedding ridge trained on MMLU stems (λ ${decision.stemLambda}${decision.stemCentred ? ', within-subject' : ''}), every prompt`, embStem],
    ];
    for (const [name, scores] of rows) {
      const m = evaluateScores(bench, scores);
      const ci = bench.name === 'mt-bench' ? (() => {
        const apgrs: number[] = [];
        const rand = seededRandom(7);
        for (let r = 0; r < resamples; r += 1) {
          const idx = bench.items.map(() => Math.floor(rand() * bench.items.length));
          const a = evaluateScores({ ...bench, items: idx.map((k) => bench.items[k]!) }, idx.map((k) => scores[k]!)).apgr;
          if (Number.isFinite(a)) apgrs.push(a);
        }
        apgrs.sort((p, q) => p - q);
        return `${apgrs[Math.floor(0.025 * apgrs.length)]!.toFixed(3)} – ${apgrs[Math.floor(0.975 * apgrs.length)]!.toFixed(3)}`;
      })() : '';
      const diff = pairedQuestionBootstrap(bench, scores, shipped, resamples);
      lines.push(`| ${bench.name} | ${name} | ${m.apgr.toFixed(3)} | ${ci} | ${m.cpt50.toFixed(2)}% | ${m.cpt80.toFixed(2)}% | ${diff.map((v) => (v >= 0 ? '+' : '') + v.toFixed(3)).join(' to ')} |`);
    }
  }
  return `${lines.join('\n')}\n\neval-router's rows on the same files (${weightsPath}):\n${renderTable(evaluateAll(weightsPath, dataDir, resamples))}`;
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const { values } = parseArgs({
    options: {
      cv: { type: 'boolean', default: false },
      final: { type: 'boolean', default: false },
      decision: { type: 'string', default: '/tmp/encoder-decision.json' },
      weights: { type: 'string', default: 'catalog/router-weights.v2.json' },
      data: { type: 'string' },
      bootstrap: { type: 'string', default: '1000' },
    },
  });
  const dataDir = values.data ?? defaultDataDir();
  if (values.cv === values.final) throw new Error('give exactly one of --cv (training split) and --final (the one look)');
  if (values.cv) {
    const decision = await crossValidate(dataDir);
    writeFileSync(values.decision!, `${JSON.stringify(decision, null, 2)}\n`);
    console.log(`wrote ${values.decision}`);
  } else {
    const decision = JSON.parse(readFileSync(values.decision!, 'utf8')) as Decision;
    console.log(await finalLook(dataDir, decision, values.weights!, Number(values.bootstrap)));
  }
}
