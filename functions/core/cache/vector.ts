// Vector helpers for the semantic cache: norms, cosine, and int8 quantisation for compact storage.

export type Vector = Float32Array | readonly number[];

export function l2Normalise(values: Vector): Float32Array {
  let sum = 0;
  for (const v of values) sum += v * v;
  const norm = Math.sqrt(sum);
  const out = new Float32Array(values.length);
  if (norm === 0) return out;
  for (let i = 0; i < values.length; i++) out[i] = values[i]! / norm;
  return out;
}

/** Cosine similarity; 0 when either vector is all zeros or the lengths differ. */
export function cosine(a: Vector, b: Vector): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** One signed byte per dimension, scaled by the largest magnitude (cosine survives to ~1e-3). */
export function quantise(values: Vector): Uint8Array {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const out = new Int8Array(values.length);
  if (max > 0) for (let i = 0; i < values.length; i++) out[i] = Math.round((values[i]! / max) * 127);
  return new Uint8Array(out.buffer);
}

/** The direction of a quantised vector (its scale is irrelevant to cosine). */
export function dequantise(bytes: Uint8Array): Float32Array {
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from(signed);
}
