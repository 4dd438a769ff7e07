// Ridge regression on dense vectors (sentence embeddings) in closed form, for cross-validation over
// many folds and shrinkages: the sufficient statistics (Σx, Σxxᵀ, Σy, Σxy) are summed once per row
// group, a fold's training statistics are the total minus the held-out groups', and each shrinkage is
// one Cholesky solve of (XcᵀXc + λI) w = Xcᵀ(y − ȳ) on centred data (intercept unpenalised, as ridge.ts).

/** Sufficient statistics of a group of rows. */
export interface RidgeStats {
  dim: number;
  n: number;
  sumX: Float64Array;
  /** Σ x xᵀ, row-major dim × dim (upper and lower triangles both filled). */
  sumXX: Float64Array;
  sumY: number;
  sumXY: Float64Array;
}

export interface DenseRidge {
  intercept: number;
  mean: Float64Array;
  weights: Float64Array;
}

export function emptyStats(dim: number): RidgeStats {
  return { dim, n: 0, sumX: new Float64Array(dim), sumXX: new Float64Array(dim * dim), sumY: 0, sumXY: new Float64Array(dim) };
}

/** Adds rows `rows` of `vectors` (row-major, `dim` wide) with targets `y[row]`. */
export function accumulate(stats: RidgeStats, vectors: ArrayLike<number>, y: readonly number[], rows: readonly number[]): RidgeStats {
  const d = stats.dim;
  const x = new Float64Array(d);
  for (const i of rows) {
    for (let a = 0; a < d; a += 1) x[a] = vectors[i * d + a]!;
    const t = y[i]!;
    stats.n += 1;
    stats.sumY += t;
    for (let a = 0; a < d; a += 1) {
      const xa = x[a]!;
      stats.sumX[a] = stats.sumX[a]! + xa;
      stats.sumXY[a] = stats.sumXY[a]! + xa * t;
      const base = a * d;
      for (let b = a; b < d; b += 1) stats.sumXX[base + b] = stats.sumXX[base + b]! + xa * x[b]!;
    }
  }
  for (let a = 0; a < d; a += 1) for (let b = 0; b < a; b += 1) stats.sumXX[a * d + b] = stats.sumXX[b * d + a]!;
  return stats;
}

/** The statistics of all parts together. */
export function combine(dim: number, parts: readonly RidgeStats[]): RidgeStats {
  const out = emptyStats(dim);
  for (const p of parts) {
    out.n += p.n;
    out.sumY += p.sumY;
    for (let k = 0; k < dim; k += 1) out.sumX[k] = out.sumX[k]! + p.sumX[k]!;
    for (let k = 0; k < dim; k += 1) out.sumXY[k] = out.sumXY[k]! + p.sumXY[k]!;
    for (let k = 0; k < dim * dim; k += 1) out.sumXX[k] = out.sumXX[k]! + p.sumXX[k]!;
  }
  return out;
}

/** a − Σ others (a fold's training statistics from the total and the held-out groups'). */
export function subtract(total: RidgeStats, ...parts: RidgeStats[]): RidgeStats {
  const out: RidgeStats = { dim: total.dim, n: total.n, sumX: Float64Array.from(total.sumX), sumXX: Float64Array.from(total.sumXX), sumY: total.sumY, sumXY: Float64Array.from(total.sumXY) };
  for (const p of parts) {
    out.n -= p.n;
    out.sumY -= p.sumY;
    for (let k = 0; k < out.sumX.length; k += 1) out.sumX[k] = out.sumX[k]! - p.sumX[k]!;
    for (let k = 0; k < out.sumXY.length; k += 1) out.sumXY[k] = out.sumXY[k]! - p.sumXY[k]!;
    for (let k = 0; k < out.sumXX.length; k += 1) out.sumXX[k] = out.sumXX[k]! - p.sumXX[k]!;
  }
  return out;
}

/** Solves the ridge from the statistics: centred normal equations, Cholesky. */
export function solveRidge(stats: RidgeStats, lambda: number): DenseRidge {
  const d = stats.dim;
  const n = stats.n;
  const mean = Float64Array.from(stats.sumX, (s) => s / n);
  const yMean = stats.sumY / n;
  // XcᵀXc = ΣxxᵀT − n μμᵀ;  Xcᵀ(y − ȳ) = Σxy − n μ ȳ.
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j < d; j += 1) a[i * d + j] = stats.sumXX[i * d + j]! - n * mean[i]! * mean[j]!;
    a[i * d + i] = a[i * d + i]! + lambda;
  }
  const rhs = Float64Array.from(stats.sumXY, (s, i) => s - n * mean[i]! * yMean);
  // In-place Cholesky a = L Lᵀ (lower triangle).
  for (let j = 0; j < d; j += 1) {
    let s = a[j * d + j]!;
    for (let k = 0; k < j; k += 1) s -= a[j * d + k]! ** 2;
    if (s <= 0) throw new Error(`ridge system not positive definite (λ ${lambda})`);
    const l = Math.sqrt(s);
    a[j * d + j] = l;
    for (let i = j + 1; i < d; i += 1) {
      let t = a[i * d + j]!;
      for (let k = 0; k < j; k += 1) t -= a[i * d + k]! * a[j * d + k]!;
      a[i * d + j] = t / l;
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i += 1) {
    let t = rhs[i]!;
    for (let k = 0; k < i; k += 1) t -= a[i * d + k]! * z[k]!;
    z[i] = t / a[i * d + i]!;
  }
  const w = new Float64Array(d);
  for (let i = d - 1; i >= 0; i -= 1) {
    let t = z[i]!;
    for (let k = i + 1; k < d; k += 1) t -= a[k * d + i]! * w[k]!;
    w[i] = t / a[i * d + i]!;
  }
  return { intercept: yMean, mean, weights: w };
}

/** Prediction for row `i` of `vectors`. */
export function predictDense(model: DenseRidge, vectors: ArrayLike<number>, i: number): number {
  const d = model.weights.length;
  let z = model.intercept;
  for (let a = 0; a < d; a += 1) z += model.weights[a]! * (vectors[i * d + a]! - model.mean[a]!);
  return z;
}
