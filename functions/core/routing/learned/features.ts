// Prompt features for the learned router. Two kinds:
//  - dense, named signals of difficulty that mean the same thing in any domain (length, numbers and
//    quantities, reasoning-step words, negation, answer-option structure, code and math markers, the
//    detected task type); these are what carries over to prompts unlike the training set;
//  - hashed word unigrams and bigrams (topic), which help inside the training distribution.
// Pure and allocation-light: the decision budget is well under a millisecond.
import { TASK_TYPES, taskScores } from './task-type.ts';
import type { TaskType } from './task-type.ts';

/** Names of the dense features, in vector order; the weights file stores weights by these names. */
export const DENSE_FEATURES = [
  'log_chars',
  'log_words',
  'log_sentences',
  'log_lines',
  'log_numbers',
  'log_distinct_numbers',
  'digit_share',
  'decimals_fractions',
  'math_symbols',
  'step_words',
  'quantity_words',
  'comparison_words',
  'negation',
  'question_marks',
  'mean_word_length',
  'long_word_share',
  'capitalised_share',
  'has_options',
  'log_option_chars',
  'option_share',
  'numeric_options',
  'code_markers',
  'latex',
  ...TASK_TYPES.map((t) => `task_${t}`),
] as const;
export type DenseFeature = (typeof DENSE_FEATURES)[number];

export interface PromptFeatures {
  dense: Float64Array;
  /** Hashed text buckets: word unigrams, bigrams and character trigrams (may repeat: counts). */
  buckets: Uint32Array;
  /** The lower-case words the text buckets are built from (stem and options), for textBuckets later. */
  textWords: readonly string[];
  task: TaskType;
}

/** Text beyond this is not tokenised (length features still see the whole prompt). */
const SCAN_CHARS = 6000;

const WORD = /[a-z0-9]+(?:'[a-z]+)?/g;
const NUMBER = /\d+(?:[.,]\d+)*/g;
const DECIMAL_OR_FRACTION = /\b\d+\.\d+\b|\b\d+\s*\/\s*\d+\b|%/g;
const MATH_SYMBOL = /[=+*/^<>×÷±√∑∫π]/g;
const STEP_WORDS = /\b(then|after|before|each|every|per|remaining|rest|left|total|altogether|combined|twice|half|third|quarter|double|triple|times|more than|less than|fewer|longer|shorter|increase[sd]?|decrease[sd]?|discount|profit|interest|rate|spends?|buys?|sells?|earns?|pays?|saves?)\b/g;
const QUANTITY_WORDS = /\b(dollars?|cents?|hours?|minutes?|days?|weeks?|months?|years?|miles?|km|meters?|feet|inches|pounds?|kg|grams?|liters?|gallons?|cups?|pieces?|percent)\b/g;
const COMPARISON = /\b(most|least|best|worst|greatest|smallest|largest|maximum|minimum|always|never|only|all of the above|none of the above)\b/g;
const NEGATION = /\b(not|no|never|except|false|incorrect|least|cannot|isn't|doesn't|won't)\b/g;
const OPTION_LINE = /^\s*[A-D][.)]\s+(.*)$/gm;
const CODE_MARKER = /```|[{};]\s*$|\b(def|function|return|class|import|public|static)\b|=>|::|\w+\(\w*\)/gm;
const LATEX = /\\[a-z]+\{|\$[^$\n]+\$/g;

const count = (text: string, re: RegExp): number => {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n += 1;
  return n;
};

const FNV_OFFSET = 0x811c9dc5;
const SPACE = 32;

/** Continues a 32-bit FNV-1a state over `text` (start from FNV_OFFSET for a fresh hash). */
function fnvFrom(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** 32-bit FNV-1a of a string, for feature hashing. */
export function hashString(text: string): number {
  return fnvFrom(FNV_OFFSET, text) >>> 0;
}

/** Marks character trigrams so they never share a hash with a word or bigram of the same letters. */
const TRIGRAM_SEED = Math.imul(FNV_OFFSET ^ 35, 0x01000193); // FNV state after '#'

/** Hash of `a b c` characters continued from `state`, without building the substring. */
function fnv3(state: number, a: number, b: number, c: number): number {
  let h = state;
  h = Math.imul(h ^ a, 0x01000193);
  h = Math.imul(h ^ b, 0x01000193);
  return Math.imul(h ^ c, 0x01000193);
}

/**
 * Hashed word unigrams, bigrams and character trigrams of the words padded with spaces (" cat " ->
 * " ca", "cat", "at "), modulo `bucketCount`. Trigrams let related word forms (derivative,
 * derivatives, derive) share weight, which matters with a few thousand training questions.
 */
export function textBuckets(words: readonly string[], bucketCount: number): Uint32Array {
  let trigrams = 0;
  for (const w of words) trigrams += w.length;
  const out = new Uint32Array(words.length * 2 + trigrams);
  let k = 0;
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i]!;
    const word = fnvFrom(FNV_OFFSET, w);
    out[k++] = (word >>> 0) % bucketCount;
    // The bigram "a b" hashed by continuing the state of "a": same value, no string built.
    if (i + 1 < words.length) out[k++] = (fnvFrom(Math.imul(word ^ SPACE, 0x01000193), words[i + 1]!) >>> 0) % bucketCount;
    for (let j = -1; j + 2 <= w.length; j += 1) {
      const a = j < 0 ? SPACE : w.charCodeAt(j);
      const b = w.charCodeAt(j + 1);
      const c = j + 2 < w.length ? w.charCodeAt(j + 2) : SPACE;
      out[k++] = (fnv3(TRIGRAM_SEED, a, b, c) >>> 0) % bucketCount;
    }
  }
  return out.subarray(0, k);
}

/** Extracts the dense vector, the n-gram buckets (modulo `bucketCount`) and the detected task type. */
export function extractFeatures(prompt: string, bucketCount: number): PromptFeatures {
  const head = prompt.length > SCAN_CHARS ? prompt.slice(0, SCAN_CHARS) : prompt;
  // Answer options are format, not task: every other feature reads the stem only, so a multiple-choice
  // question and the same question asked openly get the same difficulty signals.
  let optionChars = 0;
  let options = 0;
  let numericOptions = 0;
  OPTION_LINE.lastIndex = 0;
  for (let m = OPTION_LINE.exec(head); m !== null; m = OPTION_LINE.exec(head)) {
    options += 1;
    optionChars += m[1]!.length;
    if (/^[\s$€£(−-]*\d/.test(m[1]!)) numericOptions += 1;
  }
  const text = options >= 2 ? head.replace(OPTION_LINE, '').replace(/\n\s*Answer:\s*$/, '') : head;
  const full = options >= 2 ? text.length + Math.max(0, prompt.length - head.length) : prompt.length;
  const lower = text.toLowerCase();
  const words = lower.match(WORD) ?? [];
  const wordCount = Math.max(words.length, 1);
  const numbers = text.match(NUMBER) ?? [];
  let digits = 0;
  let capitalised = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
  }
  for (const w of text.match(/\b[A-Z][a-z]+/g) ?? []) if (w.length > 0) capitalised += 1;
  let letters = 0;
  let longWords = 0;
  for (const w of words) {
    letters += w.length;
    if (w.length >= 9) longWords += 1;
  }
  const scaledWords = prompt.length > SCAN_CHARS ? (wordCount * full) / Math.max(text.length, 1) : wordCount;
  const scores = taskScores(text);
  let task: TaskType = 'chat';
  let best = 2 - 1e-9;
  for (const t of TASK_TYPES) {
    if (t === 'chat') continue;
    if (scores[t] > best) {
      task = t;
      best = scores[t];
    }
  }
  const per100 = (n: number) => Math.log1p((100 * n) / wordCount);
  const values: number[] = [
    Math.log1p(full),
    Math.log1p(scaledWords),
    Math.log1p(count(text, /[.!?](\s|$)/g)),
    Math.log1p(count(text, /\n/g)),
    Math.log1p(numbers.length),
    Math.log1p(new Set(numbers).size),
    digits / Math.max(text.length, 1),
    Math.log1p(count(text, DECIMAL_OR_FRACTION)),
    Math.log1p(count(text, MATH_SYMBOL)),
    per100(count(lower, STEP_WORDS)),
    per100(count(lower, QUANTITY_WORDS)),
    per100(count(lower, COMPARISON)),
    Math.log1p(count(lower, NEGATION)),
    Math.log1p(count(text, /\?/g)),
    letters / wordCount,
    longWords / wordCount,
    capitalised / wordCount,
    options >= 2 ? 1 : 0,
    Math.log1p(optionChars),
    optionChars / Math.max(head.length, 1),
    options >= 2 ? numericOptions / options : 0,
    Math.log1p(count(text, CODE_MARKER)),
    Math.log1p(count(text, LATEX)),
    ...TASK_TYPES.map((t) => (t === task ? 1 : 0)),
  ];
  // Text buckets read the options too: their words say as much about the question as the stem's.
  const textWords = options >= 2 ? head.toLowerCase().match(WORD) ?? [] : words;
  const buckets = bucketCount > 0 ? textBuckets(textWords, bucketCount) : new Uint32Array(0);
  return { dense: Float64Array.from(values), buckets, textWords, task };
}
