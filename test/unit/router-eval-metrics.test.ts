// RouteLLM's metrics as eval-router computes them. Expected values come from numpy 2.4 running the
// same steps as routellm/evals (np.quantile edges, >= / > selection, np.trapezoid, np.interp).
import { describe, expect, it } from 'vitest';
import type { Benchmark } from '../../cli/router/datasets.ts';
import { fnv1a32, isMmluTrain, PROTOCOL } from '../../cli/router/datasets.ts';
import { parseCsv } from '../../cli/router/csv.ts';
import { evaluateScores, npInterp, quantiles } from '../../cli/router/routellm-metrics.ts';

const scores = [0.91, 0.15, 0.62, 0.33, 0.78, 0.05, 0.47, 0.88, 0.21, 0.69, 0.54, 0.36, 0.99, 0.12, 0.73];
const weak = [1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1];
const strong = [1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1];

function bench(): Benchmark {
  return { name: 't', scale: 100, items: scores.map((_, i) => ({ id: String(i), prompt: `p${i}`, group: 'g', weak: weak[i]!, strong: strong[i]!, rows: 1 })) };
}

describe('RouteLLM metrics', () => {
  it('puts thresholds at numpy linear quantiles (pandas qcut bin edges)', () => {
    const edges = quantiles(scores, Array.from({ length: 11 }, (_, i) => (i === 10 ? 1 : i * 0.1)));

    expect(edges[0]).toBe(0.05);
    expect(edges[3]).toBeCloseTo(0.336, 12);
    expect(edges[8]).toBeCloseTo(0.8000000000000002, 12);
    expect(edges[10]).toBe(0.99);
  });

  it('computes the curve, APGR and CPT like generate_results', () => {
    const m = evaluateScores(bench(), scores);

    expect(m.curve.map((p) => p.strongPercent)).toEqual([0, 13.333333333333334, 20, 33.33333333333333, 40, 53.333333333333336, 60, 66.66666666666666, 80, 86.66666666666667, 100].map((x) => expect.closeTo(x, 9)));
    expect(m.curve.map((p) => p.score)).toEqual([60, 66.66666666666666, 73.33333333333333, 80, 80, 80, 86.66666666666667, 86.66666666666667, 80, 86.66666666666667, 86.66666666666667].map((x) => expect.closeTo(x, 9)));
    expect(m.auc).toBeCloseTo(78.88888888888889, 9);
    expect(m.apgr).toBeCloseTo(0.708333333333333, 9);
    expect(m.cpt20).toBeCloseTo(10.666666666666673, 9);
    expect(m.cpt50).toBeCloseTo(20, 9);
    expect(m.cpt80).toBeCloseTo(54.66666666666668, 9);
  });

  it('reproduces numpy.interp on an unsorted xp (the accuracy curve need not be monotone)', () => {
    const xp = [1, 3, 2, 5, 4, 6, 8];
    const fp = [10, 20, 30, 40, 50, 60, 70];
    const expected: [number, number][] = [[0.5, 10], [1, 10], [2.5, 17.5], [3.5, 35], [4.5, 38.333333333333336], [5.5, 57.5], [7, 65], [8, 70], [9, 70]];

    for (const [x, y] of expected) expect(npInterp(x, xp, fp)).toBeCloseTo(y, 12);
  });

  it('gives a router that ranks by the true gain the oracle-like APGR above 1, and the reverse below 0', () => {
    const gain = scores.map((_, i) => strong[i]! - weak[i]! + i * 1e-6);

    expect(evaluateScores(bench(), gain).apgr).toBeGreaterThan(1);
    expect(evaluateScores(bench(), gain.map((g) => -g)).apgr).toBeLessThan(0);
  });
});

describe('training protocol', () => {
  it('splits MMLU by a stable hash of the prompt, about 70/30', () => {
    const prompts = Array.from({ length: 2000 }, (_, i) => `Question ${i}?\nA. x\nB. y\nAnswer:`);
    const train = prompts.filter(isMmluTrain).length;

    expect(PROTOCOL.trainPercent).toBe(70);
    expect(fnv1a32('hello')).toBe(0x4f9f2cab);
    expect(train / prompts.length).toBeGreaterThan(0.65);
    expect(train / prompts.length).toBeLessThan(0.75);
  });

  it('reads quoted CSV cells with commas, quotes and newlines', () => {
    expect(parseCsv('prompt,a\n"x, ""y""\nz",True\nplain,False\n')).toEqual([['prompt', 'a'], ['x, "y"\nz', 'True'], ['plain', 'False']]);
  });
});
