// The closed-form dense ridge (cli/router/dense-ridge.ts) used by the encoder check: it must solve the
// same problem as the project's conjugate-gradient ridge (ridge.ts), and a fold's statistics obtained
// by subtraction from the total must give the same model as accumulating that fold's rows directly.
import { describe, expect, it } from 'vitest';
import { accumulate, combine, emptyStats, predictDense, solveRidge, subtract } from '../../cli/router/dense-ridge.ts';
import { fitRidge, predictRidge } from '../../cli/router/ridge.ts';
import { seededRandom } from '../../functions/core/shared/seeded-random.ts';

const DIM = 6;
const N = 120;

function data(): { x: Float64Array; y: number[] } {
  const rand = seededRandom(5);
  const x = Float64Array.from({ length: N * DIM }, () => rand() * 2 - 1 + 0.3);
  const truth = [1.5, -2, 0, 0.5, 3, -1];
  const y = Array.from({ length: N }, (_, i) => 0.7 + truth.reduce((s, w, a) => s + w * x[i * DIM + a]!, 0) + 0.2 * (rand() - 0.5));
  return { x, y };
}

describe('dense ridge', () => {
  const { x, y } = data();
  const all = y.map((_, i) => i);

  it('matches the conjugate-gradient ridge on centred data (intercept unpenalised)', () => {
    const lambda = 4;
    const closed = solveRidge(accumulate(emptyStats(DIM), x, y, all), lambda);
    // ridge.ts centres only the target, so give it centred columns: then both minimise the same objective.
    const means = Array.from({ length: DIM }, (_, a) => all.reduce((s, i) => s + x[i * DIM + a]!, 0) / N);
    const rows = all.map((i) => ({ index: new Uint32Array(0), value: new Float64Array(0), dense: Float64Array.from({ length: DIM }, (_, a) => x[i * DIM + a]! - means[a]!) }));
    const cg = fitRidge(rows, y, { sparseColumns: 0, lambda, maxIterations: 200, tolerance: 1e-20 });
    for (let a = 0; a < DIM; a += 1) expect(closed.weights[a]).toBeCloseTo(cg.dense[a]!, 8);
    for (const i of [0, 17, 99]) expect(predictDense(closed, x, i)).toBeCloseTo(predictRidge(cg, rows[i]!), 8);
  });

  it('recovers the generating weights when shrinkage is small', () => {
    const model = solveRidge(accumulate(emptyStats(DIM), x, y, all), 1e-6);
    [1.5, -2, 0, 0.5, 3, -1].forEach((w, a) => expect(model.weights[a]).toBeCloseTo(w, 1));
  });

  it('gives a fold the same model by subtraction as by accumulating its training rows', () => {
    const groups = [0, 1, 2].map((g) => accumulate(emptyStats(DIM), x, y, all.filter((i) => i % 3 === g)));
    const total = combine(DIM, groups);
    const bySubtraction = solveRidge(subtract(total, groups[1]!), 2);
    const direct = solveRidge(accumulate(emptyStats(DIM), x, y, all.filter((i) => i % 3 !== 1)), 2);
    expect(bySubtraction.intercept).toBeCloseTo(direct.intercept, 10);
    for (let a = 0; a < DIM; a += 1) expect(bySubtraction.weights[a]).toBeCloseTo(direct.weights[a]!, 8);
  });
});
