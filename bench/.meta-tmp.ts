import { build } from 'esbuild';
import { resolve } from 'node:path';
import { functionBuildOptions } from '../lib/constructs/function-bundle.ts';
const name = process.argv[2]!;
const outdir = `/tmp/cs/meta-${name}`;
const r = await build({ ...functionBuildOptions(resolve(`functions/handlers/${name}.ts`), outdir), metafile: true, logLevel: 'silent', ...(process.env.STUB ? { plugins: [stub] } : {}) });
const m = r.metafile;
const seen = new Set<string>();
const visit = (f: string) => { if (seen.has(f)) return; seen.add(f); for (const i of m.outputs[f]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path); };
visit(Object.keys(m.outputs).find((f) => f.endsWith('index.mjs'))!);
const groups = new Map<string, number>();
for (const f of seen) for (const [file, v] of Object.entries(m.outputs[f]!.inputs)) {
  const mm = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  const key = mm ? mm[1]! : file.split('/').slice(0, 3).join('/');
  groups.set(key, (groups.get(key) ?? 0) + v.bytesInOutput);
}
console.log(name, 'at init', ([...seen].reduce((s, f) => s + m.outputs[f]!.bytes, 0) / 1024).toFixed(1));
for (const [k, v] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 30))) console.log((v / 1024).toFixed(1).padStart(8), k);
