// The English tables compiled from WordNet (wordnet-lexicon.ts, built by cli/cache/build-synonyms.ts),
// parsed on the first prompt the differential check reads rather than when the router starts: a cold
// start that never reaches the semantic layer never pays for them.
import { E_VERBS, WORDNET_SYNONYMS } from './wordnet-lexicon.ts';

let synonyms: Map<string, string> | undefined;
let eVerbs: Set<string> | undefined;

/** The canonical member of the word's synonym set, or undefined when the table has no entry for it. */
export function wordnetSynonym(word: string): string | undefined {
  synonyms ??= new Map(WORDNET_SYNONYMS.split(',').map((pair) => pair.split(' ') as [string, string]));
  return synonyms.get(word);
}

/** Doubled final consonants that belong to the verb ("adding" is "add", "running" is "run"). */
const KEEP_DOUBLE = new Set(['add', 'odd', 'egg', 'err', 'purr', 'butt', 'putt', 'inn', 'ebb']);
/** Verbs the tagged corpus behind E_VERBS missed, common in prompts about software. */
const MORE_E_VERBS = ['delet', 'upgrad', 'downgrad', 'rebas', 'renam', 'reus', 'refin'];

/**
 * The verb of an -ing form ("writing" -> "write", "running" -> "run", "boiling" -> "boil", "lying" ->
 * "lie"), or undefined when the word is no -ing form of a verb the rules know.
 */
export function verbOfIng(word: string): string | undefined {
  if (!/^[a-z]{2,}ing$/.test(word)) return undefined;
  eVerbs ??= new Set([...E_VERBS.split(' '), ...MORE_E_VERBS]);
  const stem = word.slice(0, -3);
  if (/^[a-z]y$/.test(stem)) return `${stem[0]}ie`;
  if (!/[aeiou]/.test(stem)) return undefined;
  if (/([bdgmnprt])\1$/.test(stem) && !KEEP_DOUBLE.has(stem)) return stem.slice(0, -1);
  // -ate, -ize, -ute, -ure, -ire, -ode verbs drop their e (calculating, optimizing, computing, configuring).
  if (eVerbs.has(stem) || /(?:[^aeiou]at|iz|is|ys|[^aeiou]ut|[^aeiou]ur|[^aeiou]ir|[^aeiou]od)$/.test(stem) && stem.length >= 4) return `${stem}e`;
  // No English verb ends in v, in a single z, in c after a consonant or a, or in a single vowel and k ("sneezing",
  // "moving", "dancing", "placing", "braking", "smoking", "hiking"): their e was dropped before -ing.
  if (/(?:v|[^z]z|[nrl]c|ac|[^aeiouy][aiou]k)$/.test(stem) && stem.length >= 3) return `${stem}e`;
  return stem;
}
