// Response cache: key reads and hit latency as the cache grows, LSH recall against brute force, and
// false/true hit rates on labelled prompt pairs. Run: npx node bench/cache.ts
// BENCH_CACHE_SIZES (default 1000,10000) are loaded into dynalite for real; BENCH_CACHE_SIM (default
// 100000) is simulated in memory with the same LSH buckets and per-band Limit (no DynamoDB).
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoResponseCache } from '#adapters/dynamodb/response-cache.ts';
import type { LookupStats } from '#adapters/dynamodb/response-cache.ts';
import { cacheTable } from '#contracts/tables.ts';
import { LocalEmbedder } from '#core/cache/local-embedder.ts';
import { bandValues, DEFAULT_LSH } from '#core/cache/lsh.ts';
import { cosine } from '#core/cache/vector.ts';
import type { ChatRequest } from '#core/chat/openai-types.ts';
import type { CachedAnswer } from '#core/cache/ports.ts';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';
import { percentile } from './stats.ts';

const sizes = (process.env['BENCH_CACHE_SIZES'] ?? '1000,10000').split(',').map(Number);
const simulated = Number(process.env['BENCH_CACHE_SIM'] ?? 100_000);
const LIMIT = 8;
const QUERIES = 200;
const embedder = new LocalEmbedder();
const threshold = embedder.defaultThreshold;

// A deterministic synthetic corpus: question templates x subjects x numbers, all distinct.
const templates = ['How do I {s} with {n} items?', 'What is the best way to {s} for {n} users?', 'Explain how to {s} in {n} steps.',
  'Why does my attempt to {s} fail after {n} tries?', 'Give {n} tips to {s}.', 'Can you compare {n} ways to {s}?'];
const verbs = ['sort', 'cache', 'parse', 'index', 'compress', 'encrypt', 'deploy', 'monitor', 'test', 'profile', 'migrate', 'render', 'validate', 'schedule', 'stream', 'batch'];
const objects = ['a list', 'a JSON file', 'a database table', 'log lines', 'images', 'a web page', 'a queue', 'an API', 'a CSV export', 'user sessions', 'a Lambda function', 'a Kafka topic'];
function prompt(i: number): string {
  const t = templates[i % templates.length]!;
  const s = `${verbs[Math.floor(i / templates.length) % verbs.length]} ${objects[Math.floor(i / (templates.length * verbs.length)) % objects.length]}`;
  return t.replace('{s}', s).replace('{n}', String(3 + Math.floor(i / (templates.length * verbs.length * objects.length))));
}
/** A light rewording that keeps the meaning (what a semantic hit is for). */
const paraphrase = (text: string) => text.replace(/^How do I/, 'How can I').replace(/^What is/, "What's").replace(/^Explain/, 'Please explain').replace(/^Give/, 'Give me').replace(/^Can you/, 'Could you').replace(/^Why does/, 'Why would');

const request = (content: string): ChatRequest => ({ model: 'cheap', temperature: 0, messages: [{ role: 'user', content }] });
const answer = (content: string): CachedAnswer => ({
  completion: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] },
  modelId: 'm', providerId: 'p', costUsd: 0.001, match: 'exact',
});

async function pool<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

/** Query indices: every k-th stored prompt, reworded. */
const queryIndices = (n: number) => Array.from({ length: QUERIES }, (_, q) => Math.floor((q * n) / QUERIES + 7) % n);

const standIn = await startDynamoStandIn();
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }));
const rows: string[] = [];
try {
  for (const size of sizes) {
    const stats: LookupStats[] = [];
    const cache = new DynamoResponseCache({ client: documents, tableName: standIn.tableNames[cacheTable.name]!, embedder, candidatesPerBand: LIMIT, onLookup: (s) => stats.push(s) });
    const scope = { tenantId: `bench-${size}`, route: 'cheap' };
    const t0 = performance.now();
    await pool(Array.from({ length: size }, (_, i) => i), 32, (i) => cache.store(request(prompt(i)), scope, answer(`answer ${i}`)));
    const loadSeconds = (performance.now() - t0) / 1000;
    const vectors = Array.from({ length: size }, (_, i) => embedder.embedSync(prompt(i)));
    const measure = async (texts: string[]) => {
      stats.length = 0;
      const ms: number[] = [];
      for (const text of texts) {
        const s = performance.now();
        await cache.lookup(request(text), scope);
        ms.push(performance.now() - s);
      }
      return { ms, stats: [...stats] };
    };
    const indices = queryIndices(size);
    const exact = await measure(indices.map(prompt));
    const semantic = await measure(indices.map((i) => paraphrase(prompt(i))));
    const misses = await measure(indices.map((i) => `Unrelated question ${i}: how tall is a giraffe standing on ${i} books?`));
    // Brute force: would the best stored prompt reach the threshold?
    let bruteHits = 0;
    let lshHits = 0;
    indices.forEach((i, q) => {
      const v = embedder.embedSync(paraphrase(prompt(i)));
      const best = Math.max(...vectors.map((u) => cosine(u, v)));
      if (best >= threshold) {
        bruteHits += 1;
        if (semantic.stats[q]?.match) lshHits += 1;
      }
    });
    const reads = (s: LookupStats[]) => `${Math.min(...s.map((x) => x.keyReads))}-${Math.max(...s.map((x) => x.keyReads))}`;
    const f = (n: number) => n.toFixed(2);
    rows.push(`| ${String(size).padStart(7)} | dynalite | ${loadSeconds.toFixed(0)} s | ${reads(exact.stats)} / ${reads(semantic.stats)} / ${reads(misses.stats)} | ${f(percentile(exact.ms, 0.5))} / ${f(percentile(exact.ms, 0.99))} | ${f(percentile(semantic.ms, 0.5))} / ${f(percentile(semantic.ms, 0.99))} | ${f(percentile(misses.ms, 0.5))} | ${Math.max(...semantic.stats.map((s) => s.candidates))} | ${lshHits}/${bruteHits} |`);
  }
} finally {
  documents.destroy();
  await standIn.close();
}

// The largest size, simulated: the same band buckets in memory, newest-first, Limit per band.
{
  const buckets = new Map<string, number[]>();
  const vectors: Float32Array[] = [];
  for (let i = 0; i < simulated; i++) {
    const v = embedder.embedSync(prompt(i));
    vectors.push(v);
    bandValues(v, DEFAULT_LSH).forEach((bits, band) => {
      const key = `${band}#${bits}`;
      (buckets.get(key) ?? buckets.set(key, []).get(key)!).push(i);
    });
  }
  let bruteHits = 0;
  let lshHits = 0;
  let maxCandidates = 0;
  for (const i of queryIndices(simulated)) {
    const v = embedder.embedSync(paraphrase(prompt(i)));
    let best = -1;
    for (const u of vectors) best = Math.max(best, cosine(u, v));
    const candidates = new Set<number>();
    bandValues(v, DEFAULT_LSH).forEach((bits, band) => (buckets.get(`${band}#${bits}`) ?? []).slice(-LIMIT).forEach((c) => candidates.add(c)));
    maxCandidates = Math.max(maxCandidates, candidates.size);
    if (best >= threshold) {
      bruteHits += 1;
      if ([...candidates].some((c) => cosine(vectors[c]!, v) >= threshold)) lshHits += 1;
    }
  }
  const sizesOf = [...buckets.values()].map((b) => b.length);
  rows.push(`| ${String(simulated).padStart(7)} | in-memory simulation | - | 17 / 18 / 17 (by construction) | - | - | - | ${maxCandidates} | ${lshHits}/${bruteHits} |`);
  rows.push(`\nbucket occupancy at ${simulated}: ${buckets.size} buckets in use of ${DEFAULT_LSH.bands * 2 ** DEFAULT_LSH.bitsPerBand}, mean ${(simulated * DEFAULT_LSH.bands / buckets.size).toFixed(1)}, p99 ${percentile(sizesOf, 0.99)}, max ${Math.max(...sizesOf)} entries (a Query reads at most ${LIMIT})`);
}

// Labelled pairs through the real lookup path (store the first prompt, look up the second).
const pairs = JSON.parse(readFileSync('bench/data/cache-pairs.json', 'utf8')) as { same: string[][]; different: string[][] };
const labelled = await startDynamoStandIn();
const labelDocs = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: labelled.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }));
let trueHits = 0;
let falseHits = 0;
try {
  const cache = new DynamoResponseCache({ client: labelDocs, tableName: labelled.tableNames[cacheTable.name]!, embedder, candidatesPerBand: LIMIT });
  const run = async (list: string[][], kind: string) => {
    let hits = 0;
    for (const [k, [a, b]] of list.entries()) {
      const scope = { tenantId: `${kind}-${k}`, route: 'cheap' };
      await cache.store(request(a!), scope, answer(a!));
      if (await cache.lookup(request(b!), scope)) hits += 1;
    }
    return hits;
  };
  trueHits = await run(pairs.same, 'same');
  falseHits = await run(pairs.different, 'diff');
} finally {
  labelDocs.destroy();
  await labelled.close();
}

console.log(`response cache, LocalEmbedder (512 dims, threshold ${threshold}), LSH ${DEFAULT_LSH.bands} bands x ${DEFAULT_LSH.bitsPerBand} bits, Limit ${LIMIT} per band, ${QUERIES} queries per size, Node ${process.version}`);
console.log('|  entries | store | load | key reads exact / semantic / miss | exact hit p50 / p99 ms | semantic hit p50 / p99 ms | miss p50 ms | max candidates | LSH recall vs brute force |');
console.log('|---------:|-------|-----:|-----------------------------------|------------------------|---------------------------|------------:|---------------:|--------------------------:|');
for (const row of rows) console.log(row);
console.log(`\nlabelled pairs: true hits on paraphrases ${trueHits}/${pairs.same.length}, false hits on similar-but-different prompts ${falseHits}/${pairs.different.length}`);
