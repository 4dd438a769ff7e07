// Logistic regression for the router: dense standardised features plus sparse hashed n-gram buckets,
// L2-regularised, fitted full-batch with Adam. Small and deterministic (no random init, fixed steps).

export interface Row {
  dense: Float64Array;
  buckets: Uint32Array;
}

export interface FitOptions {
  /** Targets in 0..1 (soft labels allowed). */
  targets: readonly number[];
  /** Per-row fixed logit offsets (for staged fits); default none. */
  offsets?: readonly number[];
  bucketCount: number;
  l2Dense: number;
  l2Buckets: number;
  steps: number;
  learningRate: number;
  /** Fit the n-gram buckets (false: dense and bias only). */
  useBuckets: boolean;
  /** Fit the dense weights (false: keep them at zero). */
  useDense?: boolean;
}

export interface LinearModel {
  bias: number;
  dense: Float64Array;
  buckets: Float64Array;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Raw logit of one row. */
export function logit(model: LinearModel, row: Row): number {
  let z = model.bias;
  for (let j = 0; j < row.dense.length; j += 1) z += model.dense[j]! * row.dense[j]!;
  for (const b of row.buckets) z += model.buckets[b]!;
  return z;
}

/** Minimises mean log-loss + l2/2 * |w|^2 with Adam; returns the fitted model. */
export function fitLogistic(rows: readonly Row[], opts: FitOptions): LinearModel {
  const d = rows[0]?.dense.length ?? 0;
  const nb = opts.useBuckets ? opts.bucketCount : 0;
  const n = rows.length;
  const params = new Float64Array(1 + d + nb);
  const m = new Float64Array(params.length);
  const v = new Float64Array(params.length);
  const grad = new Float64Array(params.length);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const useDense = opts.useDense ?? true;
  const mean = opts.targets.reduce((s, t) => s + t, 0) / Math.max(n, 1);
  params[0] = Math.log(mean / (1 - mean));
  for (let step = 1; step <= opts.steps; step += 1) {
    grad.fill(0);
    for (let i = 0; i < n; i += 1) {
      const row = rows[i]!;
      let z = params[0]! + (opts.offsets?.[i] ?? 0);
      if (useDense) for (let j = 0; j < d; j += 1) z += params[1 + j]! * row.dense[j]!;
      if (nb > 0) for (const b of row.buckets) z += params[1 + d + b]!;
      const g = (sigmoid(z) - opts.targets[i]!) / n;
      grad[0] = grad[0]! + g;
      if (useDense) for (let j = 0; j < d; j += 1) grad[1 + j] = grad[1 + j]! + g * row.dense[j]!;
      if (nb > 0) for (const b of row.buckets) grad[1 + d + b] = grad[1 + d + b]! + g;
    }
    for (let j = 0; j < d; j += 1) grad[1 + j] = grad[1 + j]! + opts.l2Dense * params[1 + j]!;
    for (let b = 0; b < nb; b += 1) grad[1 + d + b] = grad[1 + d + b]! + opts.l2Buckets * params[1 + d + b]!;
    const lr = (opts.learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
    for (let k = 0; k < params.length; k += 1) {
      const g = grad[k]!;
      m[k] = beta1 * m[k]! + (1 - beta1) * g;
      v[k] = beta2 * v[k]! + (1 - beta2) * g * g;
      params[k] = params[k]! - (lr * m[k]!) / (Math.sqrt(v[k]!) + 1e-8);
    }
  }
  return {
    bias: params[0]!,
    dense: params.slice(1, 1 + d),
    buckets: nb > 0 ? params.slice(1 + d) : new Float64Array(opts.bucketCount),
  };
}

/** Mean and standard deviation per dense column (std floored so constant columns stay finite). */
export function standardiser(rows: readonly Row[]): { mean: Float64Array; std: Float64Array } {
  const d = rows[0]?.dense.length ?? 0;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j += 1) mean[j] = mean[j]! + r.dense[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < d; j += 1) std[j] = std[j]! + (r.dense[j]! - mean[j]!) ** 2 / rows.length;
  for (let j = 0; j < d; j += 1) std[j] = Math.max(Math.sqrt(std[j]!), 1e-6);
  return { mean, std };
}

/** Applies a standardiser to a dense vector (new array). */
export function standardise(dense: Float64Array, s: { mean: Float64Array; std: Float64Array }): Float64Array {
  const out = new Float64Array(dense.length);
  for (let j = 0; j < dense.length; j += 1) out[j] = (dense[j]! - s.mean[j]!) / s.std[j]!;
  return out;
}
