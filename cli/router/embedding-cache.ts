// Sentence embeddings for offline experiments (cli/router/encoder-check.ts, bench/cache-embedders.ts),
// cached on disk so a slow encoder runs once per set of texts. The encoder is a module outside the
// project's dependencies (default bench/support/use-lite-embedder.ts: Universal Sentence Encoder lite,
// installed under /tmp/embx), named by BENCH_EMBED_MODULE; it exports `id` and `embedBatch(texts)`. A
// caller may pass another (bench/cache-embedders.ts wraps the router's own embedders).
// Vectors are stored as one little-endian Float32 file per (encoder, list of texts), keyed by a hash
// of the texts, under BENCH_EMBED_CACHE (default <tmpdir>/llm-router-embeddings): never in the repository.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface BatchEmbedder {
  id: string;
  embedBatch(texts: string[]): Promise<Float32Array[]>;
}

/** n vectors of `dim` numbers, row-major. */
export interface Embedded {
  dim: number;
  vectors: Float32Array;
}

const BATCH = 16;

export const embedModulePath = (): string => resolve(process.env['BENCH_EMBED_MODULE'] ?? 'bench/support/use-lite-embedder.ts');
const cacheDir = (): string => resolve(process.env['BENCH_EMBED_CACHE'] ?? join(tmpdir(), 'llm-router-embeddings'));

let embedder: Promise<BatchEmbedder> | undefined;
/** The encoder module BENCH_EMBED_MODULE names (loaded once). */
export const loadEmbedModule = (): Promise<BatchEmbedder> => (embedder ??= import(embedModulePath()) as Promise<BatchEmbedder>);

/**
 * The embeddings of `texts` (in order), from the cache when this encoder already embedded exactly this
 * list; `model` defaults to the BENCH_EMBED_MODULE encoder.
 */
export async function embedAll(texts: readonly string[], label: string, log: (line: string) => void = console.log, given?: BatchEmbedder): Promise<Embedded> {
  const model = given ?? await loadEmbedModule();
  const key = createHash('sha256').update(model.id).update('\u0000').update(texts.join('\u0000')).digest('hex').slice(0, 20);
  const file = join(cacheDir(), `${model.id.replace(/[^\w.-]+/g, '_')}-${label}-${texts.length}-${key}.f32`);
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { dim: vectors.length / texts.length, vectors };
  }
  const started = Date.now();
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += BATCH) {
    out.push(...(await model.embedBatch(texts.slice(i, i + BATCH))));
    if ((i / BATCH) % 100 === 0) log(`  ${label}: ${i + BATCH > texts.length ? texts.length : i + BATCH}/${texts.length} embedded`);
  }
  const dim = out[0]?.length ?? 0;
  const vectors = new Float32Array(texts.length * dim);
  out.forEach((v, i) => vectors.set(v, i * dim));
  mkdirSync(cacheDir(), { recursive: true });
  writeFileSync(file, Buffer.from(vectors.buffer));
  log(`  ${label}: ${texts.length} prompts embedded by ${model.id} in ${((Date.now() - started) / 1000).toFixed(1)} s (${((Date.now() - started) / texts.length).toFixed(2)} ms per prompt), cached in ${file}`);
  return { dim, vectors };
}
