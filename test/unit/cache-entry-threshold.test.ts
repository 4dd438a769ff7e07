// Per-entry thresholds (vCache-style, core/cache/entry-threshold.ts): the fit, the decision rule, and
// online runs where every verified candidate becomes a sample. The bound is on unverified serves that
// were wrong, over all lookups of the entry (vCache's error rate); seeded draws keep runs reproducible.
import { describe, expect, it } from 'vitest';
import {
  decide, decodeObservations, encodeObservations, estimateThreshold, explorationProbability, MAX_OBSERVATIONS, normalQuantile, withObservation,
} from '#core/cache/entry-threshold.ts';
import type { Observation } from '#core/cache/entry-threshold.ts';
import { seededRandom } from '#core/shared/seeded-random.ts';

/** Runs `lookups` candidates against one entry; `right(s, draw)` says whether its answer is right at similarity s. */
function run(delta: number, lookups: number, right: (s: number, draw: () => number) => boolean, seed = 7) {
  const draw = seededRandom(seed);
  let samples: Observation[] = [];
  let served = 0, wrong = 0, verified = 0, missed = 0;
  for (let i = 0; i < lookups; i++) {
    const s = 0.5 + 0.5 * draw();
    const correct = right(s, draw);
    const decision = decide(s, samples, delta, draw);
    if (decision === 'verify') {
      verified += 1;
      samples = withObservation(samples, s, correct);
    } else if (decision === 'serve') {
      served += 1;
      if (!correct) wrong += 1;
    } else missed += 1;
  }
  return { served, wrong, verified, missed, errorRate: wrong / lookups, estimate: estimateThreshold(samples) };
}

describe('entry threshold estimate', () => {
  it('knows nothing below six samples or with samples of one kind, and then always verifies', () => {
    const five: Observation[] = [[0.9, 1], [0.8, 1], [0.7, 0], [0.6, 0], [0.95, 1]];
    expect(estimateThreshold(five)).toBeUndefined();
    expect(estimateThreshold([...five, [0.99, 1]].map(([s]) => [s, 1] as const))).toBeUndefined();
    expect(decide(0.99, five, 0.05, () => 0.999)).toBe('verify');
  });

  it('puts the threshold between the kinds of separable samples and grows surer with more of them', () => {
    const few: Observation[] = [[0.92, 1], [0.88, 1], [0.85, 1], [0.7, 0], [0.65, 0], [0.6, 0]];
    const estimate = estimateThreshold(few)!;
    expect(estimate.t).toBeGreaterThan(0.7);
    expect(estimate.t).toBeLessThan(0.85);
    const more = estimateThreshold([...few, ...few, ...few])!;
    expect(more.varT).toBeLessThan(estimate.varT);
  });

  it('explores less the higher the similarity, and serves far above a sure threshold', () => {
    const samples: Observation[] = Array.from({ length: 40 }, (_, i) => {
      const s = 0.5 + i / 80;
      return [s, s >= 0.75 ? 1 : 0] as const;
    });
    const estimate = estimateThreshold(samples)!;
    expect(explorationProbability(0.99, estimate, 0.05)).toBeLessThan(explorationProbability(0.8, estimate, 0.05));
    expect(decide(0.999, samples, 0.05, () => 0.999)).toBe('serve');
    expect(decide(0.3, samples, 0.05, () => 0)).toBe('miss');
  });
});

describe('entry threshold online', () => {
  for (const delta of [0.01, 0.02, 0.05, 0.1]) {
    it(`keeps unverified wrong serves under delta = ${delta} with a sharp boundary, and learns where it is`, () => {
      const result = run(delta, 3000, (s) => s >= 0.8);
      expect(result.errorRate).toBeLessThanOrEqual(delta);
      // It does use the bound: more unverified serves than the error budget alone would be.
      expect(result.served).toBeGreaterThan(delta * 3000);
      expect(Math.abs(result.estimate!.t - 0.8)).toBeLessThan(0.05);
    });
  }

  it('stays under delta when the verdicts themselves are noisy around the boundary', () => {
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    for (const delta of [0.02, 0.05]) {
      const result = run(delta, 3000, (s, draw) => draw() < sigmoid(40 * (s - 0.78)), 11);
      expect(result.errorRate).toBeLessThanOrEqual(delta);
      expect(result.served).toBeGreaterThan(0);
    }
  });

  it('serves more without verification as delta grows (the bound is what buys hits)', () => {
    const tight = run(0.01, 3000, (s) => s >= 0.8);
    const loose = run(0.1, 3000, (s) => s >= 0.8);
    expect(loose.verified).toBeLessThan(tight.verified);
  });
});

describe('entry samples', () => {
  it('keep the newest ones, round-trip through their text form and drop malformed parts', () => {
    let samples: Observation[] = [];
    for (let i = 0; i < MAX_OBSERVATIONS + 5; i++) samples = withObservation(samples, 0.5 + i / 200, i % 2 === 0);
    expect(samples).toHaveLength(MAX_OBSERVATIONS);
    expect(decodeObservations(encodeObservations(samples))).toEqual(samples);
    expect(decodeObservations('0.812:1,x:1,0.7:2,2:1,0.640:0')).toEqual([[0.812, 1], [0.64, 0]]);
    expect(decodeObservations(undefined)).toEqual([]);
  });

  it('use a normal quantile accurate enough for the bounds', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 8);
  });
});
