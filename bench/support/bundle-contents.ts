// What weighs what in one function's bundle: bytes of the output per package (node_modules) or project
// folder, for what a cold start loads (index.mjs and its static chunks) or for everything shipped.
// Run: npx node bench/support/bundle-contents.ts router [--all] [--top 30]
// Same esbuild settings as the stack (lib/constructs/function-bundle.ts).
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { functionBuildOptions } from '../../lib/constructs/function-bundle.ts';

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--')) ?? 'router';
const all = args.includes('--all');
const top = Number(args[args.indexOf('--top') + 1]) || 30;
const outdir = resolve(`bench/results/bundle-contents/${name}`);
const { metafile } = await build({ ...functionBuildOptions(resolve(`functions/handlers/${name}.ts`), outdir), metafile: true, logLevel: 'silent' });

const files = new Set<string>();
const visit = (file: string): void => {
  if (files.has(file)) return;
  files.add(file);
  for (const i of metafile.outputs[file]?.imports ?? []) if (!i.external && (all || i.kind === 'import-statement')) visit(i.path);
};
visit(Object.keys(metafile.outputs).find((f) => f.endsWith('index.mjs'))!);

const groups = new Map<string, number>();
for (const file of files) {
  for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[file]!.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const key = pkg ? pkg[1]! : input.split('/').slice(0, 3).join('/');
    groups.set(key, (groups.get(key) ?? 0) + bytesInOutput);
  }
}
const total = [...files].reduce((sum, f) => sum + metafile.outputs[f]!.bytes, 0);
console.log(`${name}: ${(total / 1024).toFixed(1)} KiB ${all ? 'shipped' : 'loaded at init'} in ${files.size} files`);
for (const [key, bytes] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(bytes / 1024).toFixed(1).padStart(8)}  ${key}`);
