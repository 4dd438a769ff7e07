// Tuning aid for the differential check: reads ONLY the tuning half of the labelled pairs, prints
// every paraphrase it misses (with the tokens both sides compare) and every near-miss it would serve,
// and the local embedder's cosine alone and as a floor. Run: npx node bench/cache-tune.ts
// BENCH_ROUND=9 limits it to one round of pairs (a fresh batch is measured this way before the check
// is changed for it).
// The held-out half (bench/data/cache-pairs-heldout.json) is read by bench/cache.ts only.
import { readFileSync } from 'node:fs';
import { compareTexts } from '#core/cache/differential.ts';
import { LocalEmbedder } from '#core/cache/local-embedder.ts';
import { promptTokens } from '#core/cache/prompt-tokens.ts';
import { cosine } from '#core/cache/vector.ts';

interface Pair { a: string; b: string; same: boolean; kind: string; lang: string; round?: number }
const round = process.env['BENCH_ROUND'];
const pairs = (JSON.parse(readFileSync('bench/data/cache-pairs-tune.json', 'utf8')) as { pairs: Pair[] }).pairs.filter((p) => round === undefined || String(p.round) === round);
const show = (text: string) => promptTokens(text).map((t) => (t.harmless ? `(${t.form})` : t.form)).join(' ');
const embedder = new LocalEmbedder();
const rows = pairs.map((p) => ({ ...p, cos: cosine(embedder.embedSync(p.a), embedder.embedSync(p.b)), verdict: compareTexts(p.a, p.b) }));

for (const r of rows) {
  if (r.same && !r.verdict.same) console.log(`missed paraphrase [${r.lang}:${r.kind}] ${JSON.stringify(r.verdict)}\n   ${show(r.a)}\n   ${show(r.b)}`);
  if (!r.same && r.verdict.same) console.log(`SERVED NEAR-MISS [${r.lang}:${r.kind}] ${r.a} / ${r.b}`);
}
const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
const paraphrases = count((r) => r.same);
const nearMisses = count((r) => !r.same);
console.log(`\ndifferential: paraphrases ${count((r) => r.same && r.verdict.same)}/${paraphrases}, near-misses served ${count((r) => !r.same && r.verdict.same)}/${nearMisses}`);
console.log('| cosine t | cosine alone: paraphrases / near-misses | differential + cosine floor: paraphrases / near-misses |');
for (const t of [0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95]) {
  console.log(`| ${t} | ${count((r) => r.same && r.cos >= t)}/${paraphrases} / ${count((r) => !r.same && r.cos >= t)}/${nearMisses} | ${count((r) => r.same && r.cos >= t && r.verdict.same)}/${paraphrases} / ${count((r) => !r.same && r.cos >= t && r.verdict.same)}/${nearMisses} |`);
}
