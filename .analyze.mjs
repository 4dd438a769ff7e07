import { build } from 'esbuild';
const name = process.argv[2] ?? 'router';
const external = process.argv[3] === 'ext' ? ['@aws-sdk/*'] : [];
const r = await build({ entryPoints: [`functions/handlers/${name}.ts`], bundle: true, platform: 'node', format: 'esm', target: 'node24', minify: true, mainFields: ['module','main'], external, write: false, outfile: '/tmp/h14/x.mjs', metafile: true, logLevel: 'silent' });
const out = Object.values(r.metafile.outputs)[0];
const groups = new Map();
for (const [file, v] of Object.entries(out.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  const key = m ? m[1] : file.startsWith('functions/') ? file.split('/').slice(0,3).join('/') : file;
  groups.set(key, (groups.get(key) ?? 0) + v.bytesInOutput);
}
console.log(name, (out.bytes/1024).toFixed(1), 'KiB');
for (const [k, v] of [...groups].sort((a,b)=>b[1]-a[1]).slice(0, 30)) console.log((v/1024).toFixed(1).padStart(7), k);
