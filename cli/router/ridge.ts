// Ridge regression on sparse rows (the text model) plus a few dense columns, solved by conjugate
// gradients on the normal equations: (XᵀX + λI) w = Xᵀ(y − ȳ), intercept ȳ unpenalised.
// Deterministic (starts from zero, fixed tolerance and iteration cap) and dependency-free.

export interface SparseRow {
  /** Column indexes, ascending, unique. */
  index: Uint32Array;
  value: Float64Array;
  /** Dense columns appended after the sparse ones. */
  dense: Float64Array;
}

export interface RidgeModel {
  intercept: number;
  sparse: Float64Array;
  dense: Float64Array;
}

export interface RidgeOptions {
  sparseColumns: number;
  lambda: number;
  maxIterations?: number;
  tolerance?: number;
}

/** Xw for all rows. */
function multiply(rows: readonly SparseRow[], sparse: Float64Array, dense: Float64Array, out: Float64Array): void {
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i]!;
    let z = 0;
    for (let k = 0; k < r.index.length; k += 1) z += sparse[r.index[k]!]! * r.value[k]!;
    for (let j = 0; j < r.dense.length; j += 1) z += dense[j]! * r.dense[j]!;
    out[i] = z;
  }
}

/** Xᵀv into (sparse, dense), overwriting them. */
function multiplyTransposed(rows: readonly SparseRow[], v: Float64Array, sparse: Float64Array, dense: Float64Array): void {
  sparse.fill(0);
  dense.fill(0);
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i]!;
    const x = v[i]!;
    if (x === 0) continue;
    for (let k = 0; k < r.index.length; k += 1) sparse[r.index[k]!] = sparse[r.index[k]!]! + x * r.value[k]!;
    for (let j = 0; j < r.dense.length; j += 1) dense[j] = dense[j]! + x * r.dense[j]!;
  }
}

export function fitRidge(rows: readonly SparseRow[], targets: readonly number[], opts: RidgeOptions): RidgeModel {
  const n = rows.length;
  const p = opts.sparseColumns;
  const d = rows[0]?.dense.length ?? 0;
  const intercept = targets.reduce((a, b) => a + b, 0) / Math.max(n, 1);
  const centred = Float64Array.from(targets, (t) => t - intercept);
  // Unknowns as one vector [sparse | dense] so the CG algebra stays plain.
  const size = p + d;
  const split = (v: Float64Array) => [v.subarray(0, p), v.subarray(p)] as const;
  const w = new Float64Array(size);
  const r = new Float64Array(size);
  multiplyTransposed(rows, centred, ...split(r));
  const dir = Float64Array.from(r);
  const ad = new Float64Array(size);
  const xd = new Float64Array(n);
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let k = 0; k < a.length; k += 1) s += a[k]! * b[k]!;
    return s;
  };
  let rr = dot(r, r);
  const stop = (opts.tolerance ?? 1e-8) * rr;
  for (let it = 0; it < (opts.maxIterations ?? 500) && rr > stop; it += 1) {
    multiply(rows, ...split(dir), xd);
    multiplyTransposed(rows, xd, ...split(ad));
    for (let k = 0; k < size; k += 1) ad[k] = ad[k]! + opts.lambda * dir[k]!;
    const alpha = rr / dot(dir, ad);
    for (let k = 0; k < size; k += 1) {
      w[k] = w[k]! + alpha * dir[k]!;
      r[k] = r[k]! - alpha * ad[k]!;
    }
    const next = dot(r, r);
    const beta = next / rr;
    rr = next;
    for (let k = 0; k < size; k += 1) dir[k] = r[k]! + beta * dir[k]!;
  }
  const [sparse, dense] = split(w);
  return { intercept, sparse: Float64Array.from(sparse), dense: Float64Array.from(dense) };
}

/** Prediction for one row. */
export function predictRidge(model: RidgeModel, row: SparseRow): number {
  let z = model.intercept;
  for (let k = 0; k < row.index.length; k += 1) z += model.sparse[row.index[k]!]! * row.value[k]!;
  for (let j = 0; j < row.dense.length; j += 1) z += model.dense[j]! * row.dense[j]!;
  return z;
}
