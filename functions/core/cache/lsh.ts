// Random-hyperplane LSH (SimHash) for cosine similarity. A vector's signature has one bit per
// hyperplane (which side it falls on); the signature is cut into bands, and each band value names a
// bucket. Two vectors at angle θ agree on a bit with probability 1 - θ/π, so similar prompts share
// at least one band bucket with high probability, while a lookup reads one bucket per band whatever
// the cache size. Hyperplanes come from a seeded PRNG so every Lambda computes the same buckets.
import { seededRandom } from '../shared/seeded-random.ts';
import type { Vector } from './vector.ts';

export interface LshConfig {
  bands: number;
  bitsPerBand: number;
  seed: number;
}

export const DEFAULT_LSH: LshConfig = { bands: 16, bitsPerBand: 8, seed: 0x5eed_cafe };


const planeCache = new Map<string, Float32Array>();

/** `bands * bitsPerBand` Gaussian hyperplanes of `dims` dimensions, row-major; memoised. */
export function hyperplanes(config: LshConfig, dims: number): Float32Array {
  const key = `${config.seed}:${config.bands}:${config.bitsPerBand}:${dims}`;
  const cached = planeCache.get(key);
  if (cached) return cached;
  const random = seededRandom(config.seed);
  const planes = new Float32Array(config.bands * config.bitsPerBand * dims);
  for (let i = 0; i < planes.length; i += 2) {
    // Box-Muller: two independent standard normals per pair of uniforms.
    const u = Math.max(random(), 1e-12);
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    planes[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < planes.length) planes[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  planeCache.set(key, planes);
  return planes;
}

/** The band values of a vector: `bands` strings of `bitsPerBand` bits, as lowercase hex. */
export function bandValues(vector: Vector, config: LshConfig = DEFAULT_LSH): string[] {
  const dims = vector.length;
  const planes = hyperplanes(config, dims);
  const out: string[] = [];
  for (let band = 0; band < config.bands; band++) {
    let bits = 0n;
    for (let b = 0; b < config.bitsPerBand; b++) {
      const offset = (band * config.bitsPerBand + b) * dims;
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += planes[offset + d]! * vector[d]!;
      bits = (bits << 1n) | (dot >= 0 ? 1n : 0n);
    }
    out.push(bits.toString(16).padStart(Math.ceil(config.bitsPerBand / 4), '0'));
  }
  return out;
}

/** Probability that two vectors with cosine `c` share at least one band bucket. */
export function collisionProbability(c: number, config: LshConfig = DEFAULT_LSH): number {
  const agree = 1 - Math.acos(Math.max(-1, Math.min(1, c))) / Math.PI;
  return 1 - (1 - agree ** config.bitsPerBand) ** config.bands;
}
