// The differential check: may the answer stored for one prompt be served for another? Only when what
// the two prompts do not share is meaningless (articles, politeness, framing, copulas) and what they
// share comes in the same order. Any other difference, be it a number, a unit, a negation, a name, a
// verb, a tense or a quantifier, means another question: the check needs no list of kinds of change,
// because an unknown word counts as meaning.
import { FREE_ORDER, MOVABLE_AFTER, MOVABLE_WORDS } from './lexicon.ts';
import { promptTokens } from './prompt-tokens.ts';
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
  if (sa.every((t, i) => t.form === sb[i]!.form) || movedPhrase(sa, sb) || movedPhrase(sb, sa)) return { same: true };
  return { same: false, reason: 'order', differing: [] };
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
    if (MOVABLE_AFTER.has(a[k]!.form) || a[k]!.lead.some((w) => MOVABLE_AFTER.has(w))) return true;
    const moved = b[a.length - k]!;
    if (a[0]!.after !== undefined && FREE_ORDER.has(a[0]!.after) && moved.after === a[0]!.after) return true;
  }
  return false;
}

/** Without the adverbs that may sit anywhere, when both prompts have the same ones. */
function withoutMovableWords(a: readonly PromptToken[]): PromptToken[] {
  return a.filter((t) => !MOVABLE_WORDS.has(t.form));
}
