// A weight-free embedder for the local runtime and as a fallback: signed feature hashing of words,
// word bigrams and character trigrams into a fixed-size, L2-normalised vector. Numbers, negations and
// likely names are weighted heavily, so "not", another number or another entity moves the vector past
// the threshold, while rewordings that keep the content words stay close. Chinese is cut into words with
// Intl.Segmenter. Its cosine is reported with semantic hits and may serve as a floor; it never decides alone.
import type { Embedder } from './embedder.ts';
import { l2Normalise } from './vector.ts';

const STOPWORDS = new Set(('a an the of to in on at for by with from as and or but if then so is are was were be been being am ' +
  'do does did done i me my mine you your yours we our us it its this that these those there here what which who whom whose ' +
  'how why when where can could would should will shall may might must have has had please tell give show explain ' +
  'about some any one just very really kind into out up down over also let get like want need know s much many ' +
  'describe write briefly short quick simple word words sentence exactly define definition meaning mean').split(' '));
const hanWords = new Intl.Segmenter('zh', { granularity: 'word' });
const NEGATIONS = new Set(['不', '没', '没有', '别', '无', '非', 'not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without', 'cannot', 'nowhere', 'non']);

const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bcan't\b/g, 'can not'], [/\bwon't\b/g, 'will not'], [/n't\b/g, ' not'], [/'re\b/g, ' are'],
  [/'m\b/g, ' am'], [/'ll\b/g, ' will'], [/'ve\b/g, ' have'], [/'d\b/g, ' would'], [/'s\b/g, ''],
];

export interface LocalEmbedderOptions {
  dimensions?: number;
  threshold?: number;
}

export interface Feature {
  name: string;
  weight: number;
}

function stem(word: string): string {
  if (/^\d/.test(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The weighted features of a text (exported for the tests and the tuning script). */
export function features(text: string): Feature[] {
  const raw = text.normalize('NFKC').replace(/[’‘]/g, "'");
  const names = new Set<string>();
  // Capitalised words that do not start a sentence are likely names: other entity, other question.
  for (const m of raw.matchAll(/(?<![.!?]\s|^)\b(\p{Lu}[\p{L}\p{N}]+)/gu)) names.add(m[1]!.toLowerCase());
  // Roman numerals after a name ("World War II", "Henry VIII") are numbers.
  const romanised = raw.replace(/(\p{Lu}\p{L}*\s+)([IVX]+)\b/gu, (_, name: string, roman: string) => `${name}${romanValue(roman)}`);
  let lower = romanised.toLowerCase();
  for (const [pattern, replacement] of CONTRACTIONS) lower = lower.replace(pattern, replacement);
  // Chinese has no spaces: a run of Han characters is cut into words, not taken as one word.
  const tokens = (lower.match(/\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{N}]+/gu) ?? [])
    .flatMap((token) => (/\p{Script=Han}/u.test(token) ? [...hanWords.segment(token)].filter((s) => s.isWordLike).map((s) => s.segment) : [token]));
  const out: Feature[] = [];
  const content: string[] = [];
  let negate = false;
  for (const token of tokens) {
    if (/^\p{N}/u.test(token)) {
      out.push({ name: `#${token.replace(/,/g, '')}`, weight: 3 });
      content.push(token);
      continue;
    }
    if (NEGATIONS.has(token)) {
      out.push({ name: '!neg', weight: 3 });
      negate = true;
      continue;
    }
    if (STOPWORDS.has(token)) {
      out.push({ name: `w:${token}`, weight: 0.15 });
      continue;
    }
    const word = stem(token);
    // Names and superlatives ("largest" vs "smallest") decide the answer: weigh them double.
    const weight = names.has(token) || /est$/.test(token) ? 2 : 1;
    out.push({ name: `w:${word}`, weight });
    if (negate) out.push({ name: `!neg:${word}`, weight: 1.5 });
    negate = false;
    const padded = `<${word}>`;
    for (let i = 0; i + 3 <= padded.length; i++) out.push({ name: `c:${padded.slice(i, i + 3)}`, weight: 0.3 * weight });
    content.push(word);
  }
  for (let i = 0; i + 1 < content.length; i++) out.push({ name: `b:${content[i]} ${content[i + 1]}`, weight: 1 });
  return out;
}

function romanValue(roman: string): string {
  const values: Record<string, number> = { I: 1, V: 5, X: 10 };
  let total = 0;
  for (let i = 0; i < roman.length; i++) {
    const v = values[roman[i]!]!;
    const next = values[roman[i + 1] ?? ''] ?? 0;
    total += v < next ? -v : v;
  }
  return String(total);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class LocalEmbedder implements Embedder {
  readonly id: string;
  readonly defaultThreshold: number;
  private readonly dimensions: number;

  constructor(options: LocalEmbedderOptions = {}) {
    this.dimensions = options.dimensions ?? 512;
    this.defaultThreshold = options.threshold ?? 0.8;
    this.id = `local-hash-v2-${this.dimensions}`;
  }

  /** Synchronous form (the embedding is pure computation). */
  embedSync(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    for (const { name, weight } of features(text)) {
      const hash = fnv1a(name);
      // Signed hashing keeps unrelated texts near-orthogonal, so LSH buckets fill evenly.
      vector[hash % this.dimensions]! += (hash & 0x80000000 ? -1 : 1) * weight;
    }
    return l2Normalise(vector);
  }

  embed(text: string): Promise<Float32Array> {
    return Promise.resolve(this.embedSync(text));
  }
}
