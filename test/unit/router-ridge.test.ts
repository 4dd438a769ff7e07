// The ridge solver train-router fits the text model with: conjugate gradients against the closed form.
import { describe, expect, it } from 'vitest';
import { fitRidge, predictRidge } from '../../cli/router/ridge.ts';
import type { SparseRow } from '../../cli/router/ridge.ts';

const row = (index: number[], value: number[], dense: number[] = []): SparseRow => ({
  index: Uint32Array.from(index),
  value: Float64Array.from(value),
  dense: Float64Array.from(dense),
});

describe('fitRidge', () => {
  it('solves (XᵀX + λI) w = Xᵀ(y − ȳ) with the mean as unpenalised intercept', () => {
    // Columns: sparse 0, sparse 1, one dense column.
    const rows = [row([0], [1], [0.5]), row([1], [2], [-1]), row([0, 1], [1, 1], [2]), row([], [], [1])];
    const y = [1, 0, 0.5, 0.25];
    const lambda = 0.3;
    const model = fitRidge(rows, y, { sparseColumns: 2, lambda });

    // Closed form by Gaussian elimination on the 3x3 normal equations.
    const X = [[1, 0, 0.5], [0, 2, -1], [1, 1, 2], [0, 0, 1]];
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => X.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? lambda : 0)));
    const b = [0, 1, 2].map((i) => X.reduce((s, r, k) => s + r[i]! * (y[k]! - mean), 0));
    for (let p = 0; p < 3; p += 1) {
      for (let r = p + 1; r < 3; r += 1) {
        const f = A[r]![p]! / A[p]![p]!;
        for (let c = p; c < 3; c += 1) A[r]![c] = A[r]![c]! - f * A[p]![c]!;
        b[r] = b[r]! - f * b[p]!;
      }
    }
    const w = [0, 0, 0];
    for (let p = 2; p >= 0; p -= 1) w[p] = (b[p]! - [0, 1, 2].filter((c) => c > p).reduce((s, c) => s + A[p]![c]! * w[c]!, 0)) / A[p]![p]!;

    expect(model.intercept).toBeCloseTo(mean, 12);
    expect(model.sparse[0]).toBeCloseTo(w[0]!, 9);
    expect(model.sparse[1]).toBeCloseTo(w[1]!, 9);
    expect(model.dense[0]).toBeCloseTo(w[2]!, 9);
    expect(predictRidge(model, rows[2]!)).toBeCloseTo(mean + w[0]! + w[1]! + 2 * w[2]!, 9);
  });

  it('shrinks toward the mean as λ grows', () => {
    const rows = [row([0], [1]), row([1], [1])];
    const loose = fitRidge(rows, [1, 0], { sparseColumns: 2, lambda: 0.01 });
    const tight = fitRidge(rows, [1, 0], { sparseColumns: 2, lambda: 100 });

    expect(predictRidge(loose, rows[0]!)).toBeGreaterThan(0.95);
    expect(predictRidge(tight, rows[0]!)).toBeCloseTo(0.5, 2);
  });
});
