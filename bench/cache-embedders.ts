// Can a real sentence embedder let the differential check serve more paraphrases without serving a
// near-miss? Reads ONLY the tuning half (bench/data/cache-pairs-tune.json), never the held-out half.
// For each rule below it finds the lowest cosine threshold that serves no near-miss on the "dev" pairs
// (the tuning half minus the unseen rounds), then reports that threshold on the unseen rounds.
//   BENCH_EMBEDDINGS   an embedder spec as ROUTER_EMBEDDINGS takes it (local, bedrock:<modelId>,
//                      openai:<providerId>:<model>), resolved against BENCH_CATALOG
//                      (default catalog/default-catalog.json); BENCH_EMBEDDINGS_KEY is the provider's key
//   BENCH_EMBED_MODULE a module exporting `id` and `embedBatch(texts)`, for a model not wired into the
//                      router (bench/support/use-lite-embedder.ts); wins over BENCH_EMBEDDINGS
//   BENCH_EMBED_LATIN  1: the embedder reads Latin script only, so rules 2-4 skip pairs with Chinese
//   BENCH_UNSEEN       rounds kept out of the threshold choice (default 27,28)
//   BENCH_EMBED_CACHE  folder for computed vectors (default <tmpdir>/llm-router-embeddings): a second run
//                      embeds nothing; never put it inside the repo
// Run: npx node bench/cache-embedders.ts
import { readFileSync } from 'node:fs';
import { createEmbedder } from '#adapters/embeddings/create-embedder.ts';
import { compareTexts } from '#core/cache/differential.ts';
import { certainlyDifferent } from '#core/cache/judge-guard.ts';
import { AUXILIARIES, QUANTIFIERS } from '#core/cache/lexicon.ts';
import { promptTokens } from '#core/cache/prompt-tokens.ts';
import { cosine } from '#core/cache/vector.ts';
import { readCatalogFile } from '#handlers/shared/catalog-file.ts';
import { embedAll, loadEmbedModule } from '../cli/router/embedding-cache.ts';
import type { BatchEmbedder } from '../cli/router/embedding-cache.ts';

interface Pair { a: string; b: string; same: boolean; kind: string; lang: string; round?: number }

async function pickEmbedder(): Promise<BatchEmbedder> {
  if (process.env['BENCH_EMBED_MODULE']) return loadEmbedModule();
  const spec = process.env['BENCH_EMBEDDINGS'] ?? 'local';
  const catalog = readCatalogFile(process.env['BENCH_CATALOG'] ?? 'catalog/default-catalog.json');
  const providerId = spec.startsWith('openai:') ? spec.split(':')[1]! : 'bedrock';
  const embedder = createEmbedder(spec, catalog, new Map([[providerId, process.env['BENCH_EMBEDDINGS_KEY']]]), process.env['AWS_REGION']);
  if (!embedder) throw new Error('BENCH_EMBEDDINGS=off has no vectors to measure');
  return { id: embedder.id, embedBatch: (texts) => Promise.all(texts.map((t) => embedder.embed(t))) };
}

/** Each distinct text embedded once (the vectors kept on disk between runs: cli/router/embedding-cache.ts). */
async function embedDistinct(embedder: BatchEmbedder, texts: readonly string[]): Promise<Map<string, Float32Array>> {
  const distinct = [...new Set(texts)];
  const { dim, vectors } = await embedAll(distinct, 'cache-embedders', console.log, embedder);
  return new Map(distinct.map((t, i) => [t, vectors.subarray(i * dim, (i + 1) * dim)]));
}

// Closed-class words: a difference in one of them changes the question whatever a cosine says.
const PRONOUNS = new Set(['i', 'you', 'he', 'she', 'we', 'they', 'me', 'him', 'her', 'us', 'them', 'my', 'your', 'his', 'their', 'our', 'its', 'it', 'mine', 'yours', 'someone', 'anyone', 'everyone']);
const PREPOSITIONS = new Set(['to', 'from', 'in', 'out', 'into', 'up', 'down', 'before', 'after', 'over', 'under', 'above', 'below', 'on', 'off', 'with', 'without', 'than', 'by', 'for', 'against', 'at']);
const NEGATIONS = new Set(['not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without']);
const closedClass = (form: string) => form.startsWith('#') || NEGATIONS.has(form) || QUANTIFIERS.has(form) || AUXILIARIES.has(form) || PRONOUNS.has(form) || PREPOSITIONS.has(form);
const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

const embedder = await pickEmbedder();
const latinOnly = process.env['BENCH_EMBED_LATIN'] === '1';
const unseen = new Set((process.env['BENCH_UNSEEN'] ?? '27,28').split(',').map(Number));
const pairs = (JSON.parse(readFileSync('bench/data/cache-pairs-tune.json', 'utf8')) as { pairs: Pair[] }).pairs;

const facts = pairs.map((p) => {
  const verdict = compareTexts(p.a, p.b);
  const tokensA = promptTokens(p.a);
  const formsA = tokensA.filter((t) => !t.harmless).map((t) => t.form);
  const formsB = promptTokens(p.b).filter((t) => !t.harmless).map((t) => t.form);
  const onlyA = formsA.filter((f) => !formsB.includes(f));
  const onlyB = formsB.filter((f) => !formsA.includes(f));
  const readable = !latinOnly || (!hasHan(p.a) && !hasHan(p.b));
  const guarded = !verdict.same && readable && !certainlyDifferent(tokensA, p.b);
  const openContent = guarded && verdict.reason === 'content' && onlyA.length > 0 && onlyB.length > 0 && ![...onlyA, ...onlyB].some(closedClass);
  return { ...p, differential: verdict.same, guarded, openContent, onlyA: onlyA.join(' '), onlyB: onlyB.join(' ') };
});
const vectors = await embedDistinct(embedder, [...facts.flatMap((f) => [f.a, f.b]), ...facts.filter((f) => f.openContent).flatMap((f) => [f.onlyA, f.onlyB])]);
const rows = facts.map((f) => ({
  ...f,
  cos: cosine(vectors.get(f.a)!, vectors.get(f.b)!),
  wordCos: f.openContent ? cosine(vectors.get(f.onlyA)!, vectors.get(f.onlyB)!) : -1,
}));
type Row = (typeof rows)[number];

const rules: Array<[string, (r: Row, t: number) => boolean]> = [
  ['1. cosine alone (no check)', (r, t) => r.cos >= t],
  ['2. check, or cosine >= t with no number/negation difference (the judge guard)', (r, t) => r.differential || (r.guarded && r.cos >= t)],
  ['3. as 2, and only open-class words differ (no number, negation, quantifier, modal, pronoun, preposition), order kept', (r, t) => r.differential || (r.openContent && r.cos >= t)],
  ['4. as 3, but the embedder compares only the differing words of each side', (r, t) => r.differential || (r.openContent && r.wordCos >= t)],
];
const sets: Array<[string, Row[]]> = [
  ['dev', rows.filter((r) => !unseen.has(r.round ?? -1))],
  [`unseen rounds ${[...unseen].join('+')}`, rows.filter((r) => unseen.has(r.round ?? -1))],
  ['whole tuning half', rows],
];
const score = (rs: Row[], f: (r: Row) => boolean) => `${rs.filter((r) => r.same && f(r)).length}/${rs.filter((r) => r.same).length} | ${rs.filter((r) => !r.same && f(r)).length}/${rs.filter((r) => !r.same).length}`;
const thresholds = Array.from({ length: 101 }, (_, i) => Math.round((0.5 + i * 0.005) * 1000) / 1000);

console.log(`\nembedder ${embedder.id}${latinOnly ? ' (Latin script only)' : ''}; pairs: ${sets.map(([n, rs]) => `${n} ${rs.length}`).join(', ')}`);
console.log('| rule | threshold | ' + sets.map(([n]) => `${n}: paraphrases | near-misses served`).join(' | ') + ' |');
console.log('|---|---:|' + sets.map(() => '---:|---:').join('|') + '|');
console.log(`| differential check alone | - | ${sets.map(([, rs]) => score(rs, (r) => r.differential)).join(' | ')} |`);
for (const [name, rule] of rules) {
  const safe = thresholds.find((t) => sets[0]![1].every((r) => r.same || !rule(r, t)));
  for (const t of [0.8, 0.9, 0.95, ...(safe !== undefined && safe < 1 ? [safe] : [])]) {
    console.log(`| ${name} | ${t}${t === safe ? ' (lowest with 0 dev near-misses)' : ''} | ${sets.map(([, rs]) => score(rs, (r) => rule(r, t))).join(' | ')} |`);
  }
  if (safe === undefined || safe >= 1) console.log(`| ${name} | none below 1.0 serves 0 dev near-misses | | | | | | |`);
}
// The near-misses that stand closest, and the closest paraphrases the check misses, under rule 4.
const closest = rows.filter((r) => r.openContent).sort((x, y) => y.wordCos - x.wordCos).slice(0, Number(process.env['BENCH_SHOW'] ?? 12));
for (const r of closest) console.log(`${r.same ? 'paraphrase' : 'NEAR-MISS '} ${r.wordCos.toFixed(3)} [${r.onlyA}] / [${r.onlyB}]  ${r.a} | ${r.b}`);
