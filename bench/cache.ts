// Response cache: (1) false hits and paraphrase hits on the labelled pairs, per embedder and verifier,
// held-out half and tuning half; (2) recall against brute force, key reads per lookup and lookup
// latency as one tenant+route scope grows to 1k / 10k / 100k entries. Run: npx node bench/cache.ts
//   BENCH_CACHE_DYNALITE (default 1000,10000): sizes loaded into an in-process dynalite for real
//   BENCH_CACHE_MEMORY (default 1000,10000,100000): sizes run against an in-memory store with
//     DynamoDB's Query semantics (bench/cache-memory-store.ts), same core use case
//   BENCH_CACHE_QUERIES (default 200): lookups of each kind per size
import { readFileSync } from 'node:fs';
import type { DynamoDocuments } from '#adapters/aws/dynamodb-commands.ts';
import { standInDocumentStore } from '#local/stand-in-documents.ts';
import { DynamoResponseCache } from '#adapters/dynamodb/response-cache.ts';
import { cacheTable } from '#contracts/tables.ts';
import { compareTokens } from '#core/cache/differential.ts';
import { LocalEmbedder } from '#core/cache/local-embedder.ts';
import { promptTokens } from '#core/cache/prompt-tokens.ts';
import type { PromptToken } from '#core/cache/prompt-tokens.ts';
import { ResponseCacheService } from '#core/cache/response-cache.ts';
import type { LookupStats } from '#core/cache/response-cache.ts';
import { cosine } from '#core/cache/vector.ts';
import type { CachedAnswer, ResponseCache } from '#core/cache/ports.ts';
import type { ChatRequest } from '#core/chat/openai-types.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import { MemoryCacheStore } from './cache-memory-store.ts';
import { percentile } from './stats.ts';

const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').filter(Boolean).map(Number);
const dynaliteSizes = list('BENCH_CACHE_DYNALITE', '1000,10000');
const memorySizes = list('BENCH_CACHE_MEMORY', '1000,10000,100000');
const QUERIES = Number(process.env['BENCH_CACHE_QUERIES'] ?? 200);
const local = new LocalEmbedder();

const request = (content: string): ChatRequest => ({ model: 'cheap', temperature: 0, messages: [{ role: 'user', content }] });
const answer = (content: string): CachedAnswer => ({
  completion: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] },
  modelId: 'm', providerId: 'p', costUsd: 0.001, match: 'exact', sourceRequestId: content,
});
const served = (hit: CachedAnswer | undefined) => hit?.completion.choices[0]?.message.content ?? undefined;

async function withDynalite<T>(run: (documents: DynamoDocuments, tableName: string) => Promise<T>): Promise<T> {
  const standIn = await startDynamoStandIn();
  const documents = standInDocumentStore(standIn.endpoint);
  try {
    return await run(documents, standIn.tableNames[cacheTable.name]!);
  } finally {
    await standIn.close();
  }
}

async function pool<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

// ---------------------------------------------------------------------------------------------------
// (1) Labelled pairs. Each pair in its own tenant: store a, look up b, through the real store + lookup.
interface Pair { a: string; b: string; same: boolean; kind: string; lang: string }
const half = (name: 'tune' | 'heldout') => (JSON.parse(readFileSync(`bench/data/cache-pairs-${name}.json`, 'utf8')) as { pairs: Pair[] }).pairs;
const halves = { heldout: half('heldout'), tune: half('tune') };

interface Score { paraphrase: number; paraphrases: number; falseHits: number; nearMisses: number; wrongKinds: string[]; ms: number[] }

/** Counts one pair's outcome: a paraphrase served, or a near-miss served (a wrong answer). */
function tally(score: Score, pair: Pair, hit: boolean): void {
  if (pair.same) {
    score.paraphrases += 1;
    if (hit) score.paraphrase += 1;
  } else {
    score.nearMisses += 1;
    if (hit) {
      score.falseHits += 1;
      score.wrongKinds.push(`${pair.lang}:${pair.kind}`);
    }
  }
}

async function scoreThroughCache(pairs: Pair[], make: () => ResponseCache): Promise<Score> {
  const cache = make();
  const score: Score = { paraphrase: 0, paraphrases: 0, falseHits: 0, nearMisses: 0, wrongKinds: [], ms: [] };
  for (const [i, pair] of pairs.entries()) {
    const scope = { tenantId: `pair-${i}-${Math.random().toString(36).slice(2, 8)}`, route: 'cheap' };
    await cache.store(request(pair.a), scope, answer(pair.a));
    const t0 = performance.now();
    const hit = await cache.lookup(request(pair.b), scope);
    score.ms.push(performance.now() - t0);
    tally(score, pair, Boolean(hit));
  }
  return score;
}

/** Cosine alone, the way the previous default decided (no verification): not offered, shown for comparison. */
function scoreCosineOnly(pairs: Pair[], threshold: number): Score {
  const score: Score = { paraphrase: 0, paraphrases: 0, falseHits: 0, nearMisses: 0, wrongKinds: [], ms: [] };
  for (const pair of pairs) {
    const hit = cosine(local.embedSync(pair.a), local.embedSync(pair.b)) >= threshold;
    tally(score, pair, Boolean(hit));
  }
  return score;
}

const labelRows: string[] = [];
await withDynalite(async (client, tableName) => {
  const configs: Array<{ name: string; make?: () => ResponseCache; cosineOnly?: number }> = [
    { name: 'none (semantic off: exact only) | local | ROUTER_SEMANTIC_CACHE=off', make: () => new DynamoResponseCache({ client, tableName, embedder: local, semanticByDefault: false }) },
    { name: 'differential | local (similarity only) | **default**', make: () => new DynamoResponseCache({ client, tableName, embedder: local }) },
    { name: 'differential | none', make: () => new DynamoResponseCache({ client, tableName, semanticByDefault: true }) },
    { name: 'differential + cosine >= 0.8 | local', make: () => new DynamoResponseCache({ client, tableName, embedder: local, semanticByDefault: true, routeSettings: () => ({ threshold: 0.8 }) }) },
    { name: 'cosine >= 0.8 alone | local (the previous default; not offered)', cosineOnly: 0.8 },
    { name: 'cosine >= 0.95 alone | local (not offered)', cosineOnly: 0.95 },
  ];
  for (const config of configs) {
    const scores = [];
    for (const pairs of [halves.heldout, halves.tune]) {
      scores.push(config.make ? await scoreThroughCache(pairs, config.make) : scoreCosineOnly(pairs, config.cosineOnly!));
    }
    const [held, tune] = scores as [Score, Score];
    const pct = (s: Score) => `${s.paraphrase}/${s.paraphrases} (${((100 * s.paraphrase) / s.paraphrases).toFixed(0)}%)`;
    const latency = held.ms.length ? `${percentile(held.ms, 0.5).toFixed(2)} / ${percentile(held.ms, 0.99).toFixed(2)}` : '-';
    const [verifier, embedder, setting = ''] = config.name.split(' | ');
    labelRows.push(`| ${verifier} | ${embedder} | ${setting} | **${held.falseHits}/${held.nearMisses}** | **${pct(held)}** | ${tune.falseHits}/${tune.nearMisses} | ${pct(tune)} | ${latency} |`);
    if (held.wrongKinds.length) labelRows.push(`|   | false hits on held-out by kind: ${[...new Set(held.wrongKinds)].join(', ')} | | | | | | |`);
  }
});
for (const name of ['bedrock:amazon.titan-embed-text-v2:0', 'bedrock:cohere.embed-multilingual-v3', 'openai:<provider>:text-embedding-3-small']) {
  labelRows.push(`| differential | ${name} | semantic on | not run here: needs network and credentials | | | | |`);
}

// ---------------------------------------------------------------------------------------------------
// (2) Scale. A synthetic corpus of near-identical prompts in ONE tenant+route scope: templates x verbs
// x objects x numbers, all distinct questions. Queries: the exact prompt, a paraphrase of it (must hit
// that prompt's answer), and a near-miss (same prompt, a number that is not stored: must miss).
const templates = ['How do I {s} with {n} items?', 'What is the best way to {s} for {n} users?', 'Explain how to {s} in {n} steps.',
  'Why does my attempt to {s} fail after {n} tries?', 'Give {n} tips to {s}.', 'Can you compare {n} ways to {s}?'];
const verbs = ['sort', 'cache', 'parse', 'index', 'compress', 'encrypt', 'deploy', 'monitor', 'test', 'profile', 'migrate', 'render', 'validate', 'schedule', 'stream', 'batch'];
const objects = ['a list', 'a JSON file', 'a database table', 'log lines', 'images', 'a web page', 'a queue', 'an API', 'a CSV export', 'user sessions', 'a Lambda function', 'a Kafka topic'];
const combos = templates.length * verbs.length * objects.length;
const numberOf = (i: number) => 3 + Math.floor(i / combos);
function prompt(i: number, n = numberOf(i)): string {
  const t = templates[i % templates.length]!;
  const s = `${verbs[Math.floor(i / templates.length) % verbs.length]} ${objects[Math.floor(i / (templates.length * verbs.length)) % objects.length]}`;
  return t.replace('{s}', s).replace('{n}', String(n));
}
const rewordings: Array<[RegExp, string]> = [[/^How do I/, 'How can I'], [/^What is/, "What's"], [/^Explain/, 'Please explain'], [/^Give/, 'Give me'], [/^Can you/, 'Could you'], [/^Why does/, 'Please tell me why does']];
const paraphrase = (text: string) => rewordings.reduce((t, [pattern, to]) => t.replace(pattern, to), text).replace(/[.?]$/, '');
const queryIndices = (n: number) => Array.from({ length: Math.min(QUERIES, n) }, (_, q) => Math.floor((q * n) / Math.min(QUERIES, n) + 7) % n);

interface SizeResult { row: string }

async function runSize(size: number, storeName: string, cache: ResponseCache, stats: LookupStats[], largest?: () => number): Promise<SizeResult> {
  const scope = { tenantId: `bench-${size}`, route: 'cheap' };
  const t0 = performance.now();
  await pool(Array.from({ length: size }, (_, i) => i), 32, (i) => cache.store(request(prompt(i)), scope, answer(`answer ${i}`)));
  const loadSeconds = (performance.now() - t0) / 1000;
  const indices = queryIndices(size);
  const measure = async (texts: string[]) => {
    stats.length = 0;
    const ms: number[] = [];
    const hits: Array<string | undefined> = [];
    for (const text of texts) {
      const s = performance.now();
      hits.push(served(await cache.lookup(request(text), scope)));
      ms.push(performance.now() - s);
    }
    return { ms, hits, stats: [...stats] };
  };
  const exact = await measure(indices.map((i) => prompt(i)));
  const semantic = await measure(indices.map((i) => paraphrase(prompt(i))));
  const near = await measure(indices.map((i) => prompt(i, 10_000 + i)));
  // Brute force: the same verification against every stored prompt of the scope, no index.
  const stored: PromptToken[][] = Array.from({ length: size }, (_, i) => promptTokens(prompt(i)));
  const counts = stored.map((tokens) => tokens.filter((t) => !t.harmless).length);
  let bruteHits = 0;
  let indexHits = 0;
  let wrong = 0;
  indices.forEach((i, q) => {
    const tokens = promptTokens(paraphrase(prompt(i)));
    const count = tokens.filter((t) => !t.harmless).length;
    let found = -1;
    for (let j = 0; j < size && found < 0; j++) if (counts[j] === count && compareTokens(tokens, stored[j]!).same) found = j;
    if (found >= 0) {
      bruteHits += 1;
      if (semantic.hits[q] !== undefined) indexHits += 1;
    }
    if (semantic.hits[q] !== undefined && semantic.hits[q] !== `answer ${i}`) wrong += 1;
  });
  const reads = (s: LookupStats[]) => {
    const r = s.map((x) => x.keyReads);
    return Math.min(...r) === Math.max(...r) ? String(r[0]) : `${Math.min(...r)}-${Math.max(...r)}`;
  };
  const f = (ms: number[]) => `${percentile(ms, 0.5).toFixed(2)} / ${percentile(ms, 0.99).toFixed(2)}`;
  const nearHits = near.hits.filter((h) => h !== undefined).length;
  return {
    row: `| ${String(size).padStart(7)} | ${storeName} | ${loadSeconds.toFixed(0)} s | ${reads(exact.stats)} / ${reads(semantic.stats)} / ${reads(near.stats)} | ${f(exact.ms)} | ${f(semantic.ms)} | ${f(near.ms)} | ${Math.max(...semantic.stats.map((s) => s.candidates))}${largest ? ` (${largest()})` : ''} | ${indexHits}/${bruteHits} = ${(bruteHits ? indexHits / bruteHits : 1).toFixed(3)} | ${wrong} | ${nearHits}/${near.hits.length} |`,
  };
}

const scaleRows: string[] = [];
for (const size of dynaliteSizes) {
  await withDynalite(async (client, tableName) => {
    const stats: LookupStats[] = [];
    const cache = new DynamoResponseCache({ client, tableName, embedder: local, semanticByDefault: true, onLookup: (s) => stats.push(s) });
    scaleRows.push((await runSize(size, 'dynalite', cache, stats)).row);
  });
}
for (const size of memorySizes) {
  const stats: LookupStats[] = [];
  const store = new MemoryCacheStore();
  const cache = new ResponseCacheService({ store, embedder: local, semanticByDefault: true, onLookup: (s) => stats.push(s) });
  scaleRows.push((await runSize(size, 'in-memory store', cache, stats, () => store.largestPartition())).row);
}

// Stress: every word order of one prompt, all under one signature key (the layout's known limit).
let stressRow = '';
{
  const items = ['apples', 'pears', 'plums', 'figs'];
  const orders: string[][] = [];
  const permute = (rest: string[], done: string[]) => (rest.length === 0 ? orders.push(done) : rest.forEach((x, i) => permute(rest.filter((_, j) => j !== i), [...done, x])));
  permute(items, []);
  const text = (o: string[]) => `Rank ${o[0]}, ${o[1]}, ${o[2]} and ${o[3]} by price.`;
  const store = new MemoryCacheStore();
  const stressStats: LookupStats[] = [];
  const cache = new ResponseCacheService({ store, semanticByDefault: true, onLookup: (x) => stressStats.push(x) });
  const scope = { tenantId: 'stress', route: 'cheap' };
  for (const o of orders) await cache.store(request(text(o)), scope, answer(text(o)));
  let found = 0;
  let wrong = 0;
  for (const o of orders) {
    const hit = served(await cache.lookup(request(`Please ${text(o).toLowerCase()}`), scope));
    if (hit !== undefined) found += 1;
    if (hit !== undefined && hit !== text(o)) wrong += 1;
  }
  stressRow = `\nStress: ${orders.length} word orders of one prompt under one signature key (in-memory store): a paraphrase of each found its own answer ${found}/${orders.length} times (brute force: ${orders.length}/${orders.length}), wrong answers ${wrong}; key reads per lookup ${Math.min(...stressStats.map((x) => x.keyReads))}-${Math.max(...stressStats.map((x) => x.keyReads))} (at most 3 pages of 10 entries of one signature key).`;
}

console.log(`response cache bench, Node ${process.version}, ${new Date().toISOString()}`);
console.log(`\nLabelled pairs (bench/data/cache-pairs-*.json): held-out ${halves.heldout.filter((p) => !p.same).length} near-misses + ${halves.heldout.filter((p) => p.same).length} paraphrases; tuning ${halves.tune.filter((p) => !p.same).length} + ${halves.tune.filter((p) => p.same).length}. Store a, look up b, one tenant per pair, through DynamoResponseCache on dynalite.`);
console.log('| verifier | embedder | setting | held-out false hits | held-out paraphrase hits | tuning false hits | tuning paraphrase hits | held-out lookup p50 / p99 ms |');
console.log('|---|---|---|---:|---:|---:|---:|---:|');
for (const row of labelRows) console.log(row);
console.log(`\nScale: one tenant+route scope, ${QUERIES} lookups of each kind per size, differential verifier, local embedder for the similarity.`);
console.log('|  entries | store | load | key reads exact / paraphrase / near-miss | exact p50 / p99 ms | paraphrase p50 / p99 ms | near-miss p50 / p99 ms | max candidates read (largest signature partition) | recall vs brute force | wrong answers | near-miss hits |');
console.log('|---------:|-------|-----:|---|---|---|---|---:|---:|---:|---:|');
for (const row of scaleRows) console.log(row);
console.log(stressRow);
