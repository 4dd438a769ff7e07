// The differential check: may the answer stored for one prompt be served for another? Only when what
// the two prompts do not share is meaningless (articles, politeness, framing, copulas) and what they
// share comes in the same order. Any other difference, be it a number, a unit, a negation, a name, a
// verb, a tense or a quantifier, means another question: the check needs no list of kinds of change,
// because an unknown word counts as meaning.
import { ASYMMETRIC, AUXILIARIES, CONJUNCTIONS, FREE_ORDER, FREQUENCY_WORDS, MOVABLE_AFTER, MOVABLE_WORDS, NOT_A_NOUN_ADJUNCT, QUANTIFIERS } from './lexicon.ts';
import { promptTokens } from './prompt-tokens.ts';
import { isHan } from './zh-segment.ts';
import type { PromptToken } from './prompt-tokens.ts';

export type DifferentialVerdict =
  | { same: true }
  | { same: false; reason: 'content' | 'order' | 'empty'; differing: string[] };

const meaningful = (tokens: readonly PromptToken[]) => tokens.filter((t) => !t.harmless);

/**
 * The prompt's meaningful words, sorted: prompts that may share an answer have equal signatures, so a
 * store can file entries under it and find every candidate with one read.
 */
export function contentSignature(tokens: readonly PromptToken[]): string {
  return meaningful(tokens).map((t) => t.form).sort().join(' ');
}

/** Compares two tokenised prompts. */
export function compareTokens(a: readonly PromptToken[], b: readonly PromptToken[]): DifferentialVerdict {
  const ma = meaningful(a);
  const mb = meaningful(b);
  if (!ma.some((t) => !t.free) || !mb.some((t) => !t.free)) return { same: false, reason: 'empty', differing: [] };
  const differing = multisetDifference(ma.map((t) => t.form), mb.map((t) => t.form));
  if (differing.length > 0) return { same: false, reason: 'content', differing };
  // Same multiset by now, so the movable adverbs are the same on both sides and may be set aside.
  const sa = withoutMovableWords(ma.filter((t) => !t.free));
  const sb = withoutMovableWords(mb.filter((t) => !t.free));
  if (sa.every((t, i) => t.form === sb[i]!.form)) return { same: true };
  // The moves below are tried position by position (quadratic): a long prompt must keep its order, which
  // can only cost a hit.
  if (sa.length > MAX_REORDER_TOKENS) return { same: false, reason: 'order', differing: [] };
  if (movedPhrase(sa, sb) || movedPhrase(sb, sa)) return { same: true };
  if (movedQuestionPart(sa, sb) || movedQuestionPart(sb, sa)) return { same: true };
  if (swappedConjuncts(sa, sb) || possessiveOf(a, b, sa, sb) || possessiveOf(b, a, sb, sa)) return { same: true };
  if (movedNot(sa, sb) || movedNot(sb, sa)) return { same: true };
  return { same: false, reason: 'order', differing: [] };
}

const equalForms = (a: readonly PromptToken[], b: readonly PromptToken[]) => a.length === b.length && a.every((t, i) => t.form === b[i]!.form);
const isNumber = (t: PromptToken) => t.form.startsWith('#');
/** Longest prompt, in meaningful tokens, whose words may be moved. */
const MAX_REORDER_TOKENS = 200;
/** Longest phrase either move below considers, in tokens. */
const SPAN = 4;

/**
 * True when `b` is `a` with the two phrases around one "and" / "or" / 和 swapped ("TCP and UDP" /
 * "UDP and TCP"). Never with a number in either phrase or an asymmetric relation in the sentence
 * ("ratio of 3 and 4", "A比B"), where the order is the question.
 */
function swappedConjuncts(a: readonly PromptToken[], b: readonly PromptToken[]): boolean {
  if (a.some((t) => ASYMMETRIC.has(t.form))) return false;
  for (let c = 1; c < a.length - 1; c++) {
    if (!CONJUNCTIONS.has(a[c]!.form)) continue;
    for (let l = 1; l <= Math.min(SPAN, c); l++) {
      for (let r = 1; r <= Math.min(SPAN, a.length - c - 1); r++) {
        const left = a.slice(c - l, c);
        const right = a.slice(c + 1, c + 1 + r);
        if ([...left, ...right].some((t) => isNumber(t) || CONJUNCTIONS.has(t.form))) continue;
        if (equalForms([...a.slice(0, c - l), ...right, a[c]!, ...left, ...a.slice(c + 1 + r)], b)) return true;
      }
    }
  }
  return false;
}

/**
 * True when `b` is `a` with a "not" right after an auxiliary moved past the subject ("why is not my
 * Wi-Fi working", from "isn't", / "why is my Wi-Fi not working"); never past a number or a quantifier,
 * whose scope the negation would change.
 */
function movedNot(a: readonly PromptToken[], b: readonly PromptToken[]): boolean {
  for (let i = 0; i < a.length - 1; i++) {
    if (a[i]!.form !== 'not') continue;
    const before = a[i]!.lead.length > 0 ? a[i]!.lead.at(-1)! : a[i - 1]?.form;
    if (before === undefined || !AUXILIARIES.has(before)) continue;
    for (let d = 1; d <= Math.min(SPAN, a.length - i - 1); d++) {
      const crossed = a.slice(i + 1, i + 1 + d);
      if (crossed.some((t) => isNumber(t) || QUANTIFIERS.has(t.form))) break;
      if (equalForms([...a.slice(0, i), ...crossed, a[i]!, ...a.slice(i + 1 + d)], b)) return true;
    }
  }
  return false;
}

/**
 * True when `a` says "the H of O" where `b` says "O's H" or "O H" ("the population of Tokyo" / "Tokyo's
 * population", "the symptoms of the flu" / "flu symptoms"). Only with one "of" fewer in `b`: "what is
 * wood made of" keeps its "of".
 */
function possessiveOf(wholeA: readonly PromptToken[], wholeB: readonly PromptToken[], a: readonly PromptToken[], b: readonly PromptToken[]): boolean {
  const ofs = (tokens: readonly PromptToken[]) => tokens.filter((t) => t.form === 'of').length;
  if (ofs(wholeB) !== ofs(wholeA) - 1) return false;
  for (let j = 1; j < a.length; j++) {
    if (!a[j]!.lead.includes('of')) continue;
    for (let h = 1; h <= Math.min(SPAN, j); h++) {
      for (let o = 1; o <= Math.min(SPAN, a.length - j); o++) {
        const head = a.slice(j - h, j);
        const owner = a.slice(j, j + o);
        if ([...head, ...owner].some(isNumber)) continue;
        const moved = [...a.slice(0, j - h), ...owner, ...head, ...a.slice(j + o)];
        if (!equalForms(moved, b)) continue;
        // "O's H" always; "O H" (a noun used as an adjective: "flu symptoms") for short owners whose
        // head is no quantity, container or place word ("a cup of tea" is not "a tea cup").
        // Only the head noun (the last word of the head) says whether it is such a word ("side effects").
        // A two-word owner only at the end of the prompt ("the symptoms of strep throat").
        if (b[j - h + o - 1]!.possessor) return true;
        if ((o === 1 || (o === 2 && j + o === a.length)) && !NOT_A_NOUN_ADJUNCT.has(head.at(-1)!.form)) return true;
      }
    }
  }
  return false;
}

/** Compares two prompt texts. */
export function compareTexts(a: string, b: string): DifferentialVerdict {
  return compareTokens(promptTokens(a), promptTokens(b));
}

/** Words in one list and not the other, counting repeats. */
function multisetDifference(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const w of a) counts.set(w, (counts.get(w) ?? 0) + 1);
  for (const w of b) counts.set(w, (counts.get(w) ?? 0) - 1);
  return [...counts].filter(([, n]) => n !== 0).map(([w]) => w);
}

/**
 * True when `b` is `a` with a trailing prepositional phrase moved to the front ("... in Python" ->
 * "In Python, ..."). A swap of two arguments ("Celsius to Fahrenheit") is never a rotation of this kind.
 */
function movedPhrase(a: readonly PromptToken[], b: readonly PromptToken[]): boolean {
  for (let k = 1; k < a.length; k++) {
    const rotated = [...a.slice(k), ...a.slice(0, k)];
    if (!rotated.every((t, i) => t.form === b[i]!.form)) continue;
    // The phrase that moved to the front starts with a preposition ("in Python"), or the part that
    // moved stays attached to its question word (怎么做红烧肉 / 红烧肉怎么做).
    // A preposition that is no token of its own ("for") must lead the phrase on both sides: "who is John
    // working for" strands it at the end, so "who is working for John" is no moved phrase of it.
    if (MOVABLE_AFTER.has(a[k]!.form) || a[k]!.lead.some((w) => MOVABLE_AFTER.has(w) && b[0]!.lead.includes(w))) return true;
    const moved = b[a.length - k]!;
    if (a[0]!.after !== undefined && FREE_ORDER.has(a[0]!.after) && moved.after === a[0]!.after) return true;
  }
  return false;
}

/**
 * True when `b` is `a` with the object of a Chinese question word's verb moved in front of it inside the
 * sentence ("iPhone 怎么设置铃声" / "iPhone 铃声怎么设置"): the words both share at the start and the end
 * stay put, and the question word stays attached to its verb on both sides, as in movedPhrase.
 */
function movedQuestionPart(a: readonly PromptToken[], b: readonly PromptToken[]): boolean {
  let start = 0;
  while (start < a.length && a[start]!.form === b[start]!.form) start += 1;
  let end = a.length;
  while (end > start && a[end - 1]!.form === b[end - 1]!.form) end -= 1;
  if (start === 0 && end === a.length) return false;
  const x = a.slice(start, end);
  const y = b.slice(start, end);
  const question = x[0]?.after;
  if (x.length < 2 || question === undefined || !FREE_ORDER.has(question) || !isHan(question)) return false;
  for (let k = 1; k < x.length; k++) {
    if (![...x.slice(k), ...x.slice(0, k)].every((t, i) => t.form === y[i]!.form)) continue;
    if (y[x.length - k]!.after === question) return true;
  }
  return false;
}

/** Without the adverbs that may sit anywhere, when both prompts have the same ones. */
function withoutMovableWords(a: readonly PromptToken[]): PromptToken[] {
  const scoped = a.some((t) => t.form === 'not' || QUANTIFIERS.has(t.form));
  return a.filter((t) => !MOVABLE_WORDS.has(t.form) || (scoped && FREQUENCY_WORDS.has(t.form)));
}
