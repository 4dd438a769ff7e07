// The esbuild settings of every Lambda bundle, shared by the stack (RouterFunction's local bundling)
// and bench/bundles.ts, so the bench measures exactly what is deployed.
//
// ESM with code splitting: a module loaded with `await import()` (the S3 file store, the X-Ray tracer,
// the Bedrock clients) becomes its own chunk beside index.mjs, read from disk only when first used, so a
// cold start pays only for what every invocation needs. NodejsFunction cannot do this (it passes esbuild
// an outfile; splitting needs an outdir), hence a plain Function with a local bundling step.
// The AWS SDK is bundled: the functions run the versions pinned in package-lock.json, tested here, not
// whatever the runtime happens to ship.
import type { BuildOptions } from 'esbuild';

/** Lets bundled CommonJS dependencies call `require` inside an ESM bundle (added to every chunk). */
const esmRequireBanner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** esbuild options for the handler file `entry` (absolute), written to `outdir` as index.mjs plus chunks. */
export function functionBuildOptions(entry: string, outdir: string): BuildOptions & { outdir: string } {
  return {
    entryPoints: { index: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    banner: { js: esmRequireBanner },
    logLevel: 'warning',
  };
}
