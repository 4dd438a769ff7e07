// The per-task prior check (cli/router/task-prior-check.ts) on synthetic outcomes: it must rank inside
// subjects only (a signal that just tells subjects apart earns nothing), and a rule fitted on other
// subjects must find a within-subject signal and beat length by more than the bootstrap noise.
import { describe, expect, it } from 'vitest';
import { extractFeatures } from '../../functions/core/routing/learned/features.ts';
import { leaveSubjectOut, subjectBootstrap, withinSubject, withinSubjectRanks } from '../../cli/router/task-prior-check.ts';
import type { Benchmark, Item } from '../../cli/router/datasets.ts';
import { evaluateScores } from '../../cli/router/routellm-metrics.ts';

/**
 * 10 subjects of 40 questions. Subjects 5..9 are long-winded and only the strong model answers them;
 * in subjects 0..4 the weak model fails exactly the questions with three or more numbers. The filler
 * length varies inside each subject independently of the outcome.
 */
function synthetic(): Benchmark {
  const items: Item[] = [];
  for (let s = 0; s < 10; s += 1) {
    for (let i = 0; i < 40; i += 1) {
      const numbers = i % 5;
      const filler = 3 + ((i * 7) % 11) + (s >= 5 ? 30 : 0);
      const prompt = `Topic ${s} question ${'about the matter '.repeat(filler)}${Array.from({ length: numbers }, (_, k) => ` ${k * 13 + 7}`).join('')} ok?`;
      items.push({ id: `${s}/${i}`, prompt, group: `subject-${s}`, strong: 1, weak: s >= 5 ? 0 : numbers >= 3 ? 0 : 1, rows: 1 });
    }
  }
  return { name: 'synthetic', items, scale: 100 };
}

describe('task prior check', () => {
  const set = synthetic();
  const all = set.items.map((_, i) => i);
  const subjectIndex = set.items.map((it) => Number(it.group.split('-')[1]));
  const dense = set.items.map((it) => extractFeatures(it.prompt, 0).dense);

  it('ranks inside each subject: percentile ranks spread evenly over every subject', () => {
    const ranks = withinSubjectRanks(set, all, subjectIndex);
    for (let s = 0; s < 10; s += 1) {
      const mine = ranks.filter((_, i) => subjectIndex[i] === s).sort((a, b) => a - b);
      expect(mine[0]).toBeCloseTo(0.5 / 40);
      expect(mine[39]).toBeCloseTo(39.5 / 40);
    }
  });

  // Rankings by the true gain: the best any score can do, pooled and inside subjects (70% of the
  // questions need the strong model, so both ceilings are well under 1).
  const gain = set.items.map((it) => it.strong - it.weak);
  const pooledCeiling = evaluateScores(set, gain).apgr;
  const withinCeiling = withinSubject(set, all, gain).apgr;

  it('gives no credit for telling subjects apart, which the pooled APGR does', () => {
    // The subject index puts the always-strong subjects first when pooled: most of the pooled ceiling...
    expect(evaluateScores(set, subjectIndex).apgr).toBeGreaterThan(0.5 + 0.6 * (pooledCeiling - 0.5));
    // ...but inside a subject it is constant, so it orders like the tie-breaking hash: near random.
    expect(Math.abs(withinSubject(set, all, subjectIndex).apgr - 0.5)).toBeLessThan(0.2 * (withinCeiling - 0.5));
  });

  it('finds the within-subject signal on unseen subjects and beats length beyond the bootstrap noise', () => {
    const rule = leaveSubjectOut(set, dense, all, all, 10);
    const length = dense.map((d) => d[0]!);
    const fitted = withinSubject(set, all, rule);
    expect(fitted.apgr).toBeGreaterThan(withinCeiling - 0.01);
    expect(fitted.area).toBeGreaterThan(withinSubject(set, all, length).area);
    const [low] = subjectBootstrap(set, all, rule, length, 200);
    expect(low).toBeGreaterThan(0);
  });
});
