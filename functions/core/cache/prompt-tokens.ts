// Tokens of a prompt as the differential check compares them: lower case, contractions expanded,
// framing removed (rewrites.ts), words segmented (Intl.Segmenter, then Chinese runs cut again the same
// way in every context by zh-segment.ts), plurals and irregular forms folded, synonyms
// merged, and every number, whether written in digits, English words or Chinese numerals, turned into
// its value ("3", "three" and "三" are all #3).
import { FREE_ORDER, HARMLESS, IRREGULAR, POSSESSIVE, NUMBER_SCALES, NUMBER_WORDS, SYNONYMS, ZH_CLASSIFIERS, ZH_MEASURES } from './lexicon.ts';
import { FRAMING } from './rewrites.ts';
import { verbOfIng, wordnetSynonym } from './wordnet.ts';
import { isHan, segmentHan } from './zh-segment.ts';

export interface PromptToken {
  /** Canonical form: a word, or `#<value>` for a number. */
  form: string;
  /** Carries no meaning of its own (articles, politeness, copulas). */
  harmless: boolean;
  /** A question word, which may sit anywhere in the sentence. */
  free: boolean;
  /** The canonical meaningful word before this one. */
  after: string | undefined;
  /** The meaningless words right before this one ("for a" before "beginner"). */
  lead: string[];
  /** Followed by a possessive 's ("Tokyo's population"), which the check may read as "population of Tokyo". */
  possessor: boolean;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

const CONTRACTIONS: ReadonlyArray<[RegExp, string]> = [
  // Contractions typed without the apostrophe.
  [/\b(do|does|did|is|are|was|were|has|have|had|could|would|should)nt\b/gu, '$1 not'], [/\bcant\b/gu, 'can not'], [/\bwont\b/gu, 'will not'],
  [/\bwhats\b/gu, 'what is'], [/\bhows\b/gu, 'how is'], [/\bwheres\b/gu, 'where is'], [/\bim\b/gu, 'i am'],
  [/\bcan't\b/gu, 'can not'], [/\bcannot\b/gu, 'can not'], [/\bwon't\b/gu, 'will not'], [/n't\b/gu, ' not'],
  [/'re\b/gu, ' are'], [/'m\b/gu, ' am'], [/'ll\b/gu, ' will'], [/'ve\b/gu, ' have'], [/\bwhat's\b/gu, 'what is'],
  [/\blet's\b/gu, 'let us'], [/\b(it|that|there|here|who|where|how|he|she)'s\b/gu, '$1 is'],
  // Texting spelling: "can u" is "can you".
  [/\bu\b(?!['.\-])/gu, 'you'],
  [/'d\b/gu, ' would'], [/\bgonna\b/gu, 'going to'], [/\bwanna\b/gu, 'want to'], [/'s\b/gu, ` ${POSSESSIVE}`], [/s'(?=\s|$)/gu, `s ${POSSESSIVE}`],
];

const ORDINALS = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth'];

/** "1st" as "first", so a digit ordinal and a word ordinal are one word (and "1st" is never the number 1). */
const ordinal = (_: string, digits: string) => ORDINALS[Number(digits)] ?? `ordinal${digits}`;

/**
 * A gerund with an object after a preposition is its verb ("tips for writing a cover letter" / "to write a
 * cover letter", "how to boil an egg" / "ways of boiling an egg"). Only with an object: alone, an -ing
 * word may be a noun whose verb means something else ("the effects of smoking" / "of smoke"), and after
 * a verb it may be another construction ("stop smoking" / "stop to smoke"). Progressives keep their -ing
 * ("what is he doing" / "what does he do").
 */
const GERUND = /\b(for|of|about|before|after|without|by|while|on|in|at|from|against|besides|with|to|i)\s+([a-z]+ing)\s+(?!(?:and|or|but|nor|on|in|at|to|for|of|with|by|from|into|onto|is|are|was|were|be|been|has|have|had|can|will|would|should|could|does|do|did|than|as|if|when|while|because|so|that|which|who|whom|where|how|why|what)\b)(?=[a-z0-9])/gu;
/** -ing words that are prepositions or nouns, never a gerund. */
const NOT_GERUNDS = new Set(['using', 'including', 'according', 'regarding', 'concerning', 'during', 'following', 'considering', 'morning', 'evening', 'string', 'spring', 'ceiling', 'building', 'wedding', 'something', 'anything', 'nothing', 'everything', 'thing', 'things', 'king', 'ring', 'wing', 'clothing', 'pudding', 'setting', 'settings', 'meaning', 'feeling', 'heading', 'ending', 'beginning', 'housing']);

/** Symbols that carry meaning, spelled out so the segmenter keeps them. */
const SYMBOLS: ReadonlyArray<[RegExp, string]> = [
  [/!=/gu, ' notequal '], [/==/gu, ' equals equals '], [/>=/gu, ' greater equals '], [/<=/gu, ' less equals '],
  [/(^|[\s(=,])-(?=\d)/gu, '$1 minus '], [/[(（]/gu, ' lparen '], [/[)）]/gu, ' rparen '], [/\[/gu, ' lbracket '], [/\]/gu, ' rbracket '],
  [/\{/gu, ' lbrace '], [/\}/gu, ' rbrace '], [/\//gu, ' slash '], [/\\/gu, ' backslash '], [/\|/gu, ' pipe '], [/~/gu, ' tilde '],
  [/#/gu, ' sharp '], [/@/gu, ' at '],
  [/%/gu, ' percent '], [/\^/gu, ' power '], [/\+/gu, ' plus '], [/[×*]/gu, ' times '], [/÷/gu, ' divided '],
  [/(\d)\s*-\s*(\d)/gu, '$1 minus $2'], [/=/gu, ' equals '], [/°\s*c\b/gu, ' celsius '], [/°\s*f\b/gu, ' fahrenheit '], [/°/gu, ' degree '],
  // A currency sign before the amount reads as the word after it ("$5" / "5 dollars").
  [/\$\s*(\d[\d,.]*)/gu, ' $1 dollar '], [/€\s*(\d[\d,.]*)/gu, ' $1 euro '], [/£\s*(\d[\d,.]*)/gu, ' $1 pound sterling '], [/[¥￥]\s*(\d[\d,.]*)/gu, ' $1 yuan '],
  [/\$/gu, ' dollar '], [/€/gu, ' euro '], [/£/gu, ' pound sterling '], [/[¥￥]/gu, ' yuan '], [/</gu, ' less '], [/>/gu, ' greater '],
  [/&/gu, ' and '], [/(\d)([\p{L}])/gu, '$1 $2'], [/([a-z])(\d)/gu, '$1 $2'], [/(\d),(\d{3})\b/gu, '$1$2'],
];

const ZH_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const ZH_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1_000 };
const ZH_BIG: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };
const ZH_NUMERAL = /^[零〇一二两三四五六七八九十百千万亿]+/u;
const ZH_WHOLE_NUMERAL = /^[零〇一二两三四五六七八九十百千万亿]+$/u;

/** The value of a Chinese numeral such as 三, 十五, 两百零三, 一万二千. */
export function chineseNumber(text: string): number {
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch in ZH_DIGITS) digit = ZH_DIGITS[ch]!;
    else if (ch in ZH_UNITS) {
      section += (digit || 1) * ZH_UNITS[ch]!;
      digit = 0;
    } else if (ch in ZH_BIG) {
      total += (section + digit) * ZH_BIG[ch]!;
      section = 0;
      digit = 0;
    }
  }
  return total + section + digit;
}

/** Nouns in -ie, whose plural is -ies ("movies" is "movie", never "movy" as "cities" is "city"). */
const IE_NOUNS = new Set(['movie', 'cookie', 'zombie', 'selfie', 'brownie', 'calorie', 'rookie', 'hippie', 'genie', 'prairie', 'smoothie', 'hoodie', 'goalie', 'newbie', 'freebie', 'auntie', 'birdie', 'foodie', 'roomie', 'indie', 'junkie', 'magpie', 'pinkie', 'collie', 'budgie', 'techie', 'sweetie', 'boogie', 'lingerie', 'walkie', 'talkie', 'veggie', 'bookie', 'caddie', 'eyrie', 'zombie', 'beanie', 'bestie', 'onesie', 'emojie', 'kiddie', 'oldie', 'goodie', 'baddie', 'cutie', 'sortie', 'specie']);

function stem(word: string): string {
  if (!/^[a-z]+$/.test(word) || word.length <= 3) return word;
  // No English noun is without a vowel: "https", "gps" and "sms" are names, not plurals of "http", "gp", "sm".
  if (!/[aeiouy]/.test(word.slice(0, -1))) return word;
  if (word.endsWith('ies') && IE_NOUNS.has(word.slice(0, -1))) return word.slice(0, -1);
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  // "Tomatoes", "potatoes", "volcanoes" (long -oes words; "shoes", "canoes" keep their e).
  if (word.endsWith('oes') && word.length >= 7) return word.slice(0, -2);
  // "Viruses" and "virus", "octopuses" and "octopus": an -us noun and its -uses plural read alike.
  if (/[^o]uses$/.test(word)) return word.slice(0, -1);
  if (/[^o]us$/.test(word)) return `${word}e`;
  if (word.endsWith('s') && !/(?:ss|us|is|ous)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** British spellings as American ones (-ise, -our, -tre, -yse), so the two never differ. */
function americanSpelling(word: string): string {
  if (word.length <= 5 || !/^[a-z]+$/.test(word)) return word;
  return word.replace(/is(e|ed|es|ing|ation|ations)$/, 'iz$1').replace(/our(s|ed|ing|ite|ites)?$/, 'or$1').replace(/tre(s)?$/, 'ter$1').replace(/ys(e|ed|es|ing)$/, 'yz$1');
}

/** The curated list first (lexicon.ts), then the WordNet table (synonyms.ts). */
const synonym = (word: string) => SYNONYMS.get(word) ?? wordnetSynonym(word);

function canonical(word: string, acronym = false): string {
  if (acronym) return word;
  const irregular = IRREGULAR.get(word);
  if (irregular) return synonym(irregular) ?? irregular;
  const direct = synonym(word);
  if (direct) return direct;
  const stemmed = americanSpelling(stem(word));
  return synonym(stemmed) ?? gradedSynonym(stemmed) ?? stemmed;
}

/**
 * A superlative of a word with a synonym, as the synonym's ("wealthiest" -> "richest"): the grade is
 * kept, only the adjective is merged. Not the -er forms, which are as often agent nouns ("beginner" is
 * no comparative of "begin").
 */
function gradedSynonym(word: string): string | undefined {
  const grade = /^([a-z]{3,}?)(i?)est$/.exec(word);
  if (!grade) return undefined;
  const [, base, i] = grade as unknown as [string, string, string];
  const candidates = i ? [`${base}y`] : [base, `${base}e`, ...(/([bdgmnprt])\1$/.test(base) ? [base.slice(0, -1)] : [])];
  for (const candidate of candidates) {
    const merged = SYNONYMS.get(candidate) ?? wordnetSynonym(candidate);
    if (merged && /^[a-z]+$/.test(merged)) return superlative(merged);
  }
  return undefined;
}

/** Words as segmented, with English number phrases ("twenty one", "three hundred") merged into values. */
function words(text: string): string[] {
  const out: string[] = [];
  let pending: { total: number; current: number } | undefined;
  const flush = () => {
    if (pending) out.push(`#${pending.total + pending.current}`);
    pending = undefined;
  };
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (!isWordLike) {
      // Punctuation ends a number phrase ("three, four" are two numbers); spaces do not.
      if (segment.trim() !== '') flush();
      continue;
    }
    const small = NUMBER_WORDS.get(segment);
    const scale = NUMBER_SCALES.get(segment);
    if (small !== undefined) {
      // "twenty one" and "hundred and five" continue a number; "five twenty" starts another.
      const current = pending?.current ?? 0;
      const continues = current === 0 || (current % 100 === 0 && small < 100) || (current % 10 === 0 && current % 100 >= 20 && small < 10);
      if (!continues) flush();
      pending ??= { total: 0, current: 0 };
      pending.current += small;
      continue;
    }
    // "2 million", "1.5 thousand": digits times the scale word after them.
    const digits = out.at(-1);
    if (scale !== undefined && !pending && digits !== undefined && /^\d+(?:\.\d+)?$/.test(digits)) {
      out[out.length - 1] = String(Number(digits) * scale);
      continue;
    }
    // "a hundred", "a thousand": the article is the number one.
    if (scale !== undefined && !pending && (out.at(-1) === 'a' || out.at(-1) === 'an')) {
      out.pop();
      pending = { total: 0, current: 1 };
    }
    if (scale !== undefined && pending) {
      if (scale >= 1000) {
        pending.total += (pending.current || 1) * scale;
        pending.current = 0;
      } else pending.current = (pending.current || 1) * scale;
      continue;
    }
    if (segment === 'and' && pending) continue;
    flush();
    // The segmenter may cut one Chinese numeral in pieces (两百 | 零 | 三): join them again.
    const previous = out.at(-1);
    if (ZH_WHOLE_NUMERAL.test(segment) && previous?.startsWith('zh#')) out[out.length - 1] = `${previous}${segment}`;
    else out.push(ZH_WHOLE_NUMERAL.test(segment) ? `zh#${segment}` : segment);
  }
  flush();
  return resegmentHan(out.flatMap((word) => (word.startsWith('zh#') ? [`#${chineseNumber(word.slice(3))}`] : splitChinese(word))));
}

/** Runs of Chinese words joined and cut again the same way in every context (zh-segment.ts). */
function resegmentHan(segments: readonly string[]): string[] {
  const out: string[] = [];
  let run = '';
  for (const segment of segments) {
    if (isHan(segment)) {
      run += segment;
      continue;
    }
    if (run) out.push(...segmentHan(run));
    run = '';
    out.push(segment);
  }
  if (run) out.push(...segmentHan(run));
  return out;
}

/** A segment led by a Chinese numeral becomes the number and its measure word ("八点" -> #8, 点). */
function splitChinese(segment: string): string[] {
  const numeral = ZH_NUMERAL.exec(segment)?.[0];
  if (!numeral) return [segment];
  const rest = segment.slice(numeral.length);
  if (rest === '' || ZH_MEASURES.test(rest)) return [`#${chineseNumber(numeral)}`, ...(rest ? [rest] : [])];
  return [segment];
}

/** The -est form of an adjective ("smart" -> "smartest", "large" -> "largest", "big" -> "biggest", "happy" -> "happiest"). */
function superlative(adjective: string): string {
  if (adjective.endsWith('e')) return `${adjective}st`;
  if (/[^aeiou]y$/.test(adjective)) return `${adjective.slice(0, -1)}iest`;
  if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(adjective)) return `${adjective}${adjective.at(-1)}est`;
  return `${adjective}est`;
}

/**
 * "The most X" is the superlative of X however it is spelled ("the most intelligent" / "the smartest"
 * once intelligent reads as smart): folded into one -est word, in place. Only after "the": without it,
 * "most" is a quantifier ("most birds"), which stays a word.
 */
function foldSuperlatives(forms: Array<{ form: string; possessor: boolean }>): void {
  for (let i = forms.length - 2; i >= 1; i--) {
    if (forms[i]!.form !== 'most' || forms[i - 1]!.form !== 'the' || !/^[a-z]{3,}$/.test(forms[i + 1]!.form)) continue;
    const folded = superlative(forms[i + 1]!.form);
    forms.splice(i, 2, { form: synonym(folded) ?? folded, possessor: forms[i + 1]!.possessor });
  }
}

/** Words that name a person: a prompt with any of them keeps its "your". */
const PERSONS = new Set(['i', 'me', 'my', 'mine', 'we', 'us', 'our', 'you', 'yours', 'he', 'him', 'his', 'she', 'her', 'they', 'them', 'their', 'person', 'child', 'baby', 'mother', 'father']);
/** Words after which a generic "your" says nothing: prepositions and verbs of effect on the body or a thing. */
const YOUR_AFTER = new Set(['for', 'to', 'on', 'in', 'into', 'from', 'at', 'with', 'stunt', 'affect', 'damage', 'hurt', 'harm', 'stain', 'dry', 'clog', 'weaken', 'irritate']);

/** The prompt's tokens, in order. */
export function promptTokens(text: string): PromptToken[] {
  // A word written in capitals and ending in S is an acronym ("HTTPS", "AWS"), never a plural to fold.
  // Not in a prompt typed all in capitals ("HOW DO I FREEZE PANES"), whose plurals are plurals.
  const shouting = !/\p{Ll}/u.test(text);
  const acronyms = new Set(shouting ? [] : (text.normalize('NFKC').match(/\b[A-Z][A-Z0-9]*S\b/gu) ?? []).filter((w) => w.length >= 3 && w.length <= 6).map((w) => w.toLowerCase()));
  let lower = text.normalize('NFKC').replace(/[’‘`]/g, "'").toLowerCase().trim();
  for (const [pattern, replacement] of CONTRACTIONS) lower = lower.replace(pattern, replacement);
  // A hyphen between letters joins words ("twenty-five", "wi-fi"); between digits it is a minus (SYMBOLS).
  lower = lower.replace(/(\p{L})-(?=\p{L})/gu, '$1 ');
  for (const [pattern, replacement] of FRAMING) lower = typeof replacement === 'string' ? lower.replace(pattern, replacement) : lower.replace(pattern, replacement);
  lower = lower.replace(GERUND, (whole: string, before: string, verb: string) => (NOT_GERUNDS.has(verb) ? whole : `${before} ${verbOfIng(verb) ?? verb} `));
  lower = lower.replace(/\b(\d+)(?:st|nd|rd|th)\b/gu, ordinal);
  for (const [pattern, replacement] of SYMBOLS) lower = lower.replace(pattern, replacement);
  // 两 right after a digit is the measure word liang (一两, 三两) or "one or two" (一两个), never the digit 2:
  // written 兩 so that no numeral swallows it ("一两" was read as 2, the same as "二两"). 两百, 一千两百 stay numbers.
  lower = lower.replace(/(?<=[零〇一二三四五六七八九十百千]|\d\s?)两(?![百千万亿])/gu, '兩');
  const forms: Array<{ form: string; possessor: boolean }> = [];
  for (const word of words(lower)) {
    if (word === POSSESSIVE) {
      const owner = forms.at(-1);
      if (owner) owner.possessor = true;
    } else forms.push({ form: /^\d/.test(word) ? `#${Number(word.replace(/,/g, ''))}` : word.startsWith('#') ? word : canonical(word, acronyms.has(word)), possessor: false });
  }
  foldSuperlatives(forms);
  // In a Chinese question with a question word, 都 marks the answer as plural (鲁迅都写过哪些小说), and a
  // classifier after the question word (哪座城市, 哪个城市) only counts: neither changes the answer. In a
  // yes/no question 都 is "all" (他们都来了吗), which does.
  const whQuestion = forms.some(({ form }) => FREE_ORDER.has(form) && isHan(form));
  // In a prompt where the asker says "I", "my" adds nothing ("how do I clean my oven" / "how do I clean
  // the oven"); "your", "his", "our" still differ from it. Without "I" ("what is my IP") it stays.
  const firstPerson = forms.some(({ form }) => form === 'i');
  // "Your" in a prompt that names no person ("is coconut oil good for your hair", "does coffee stunt your
  // growth") is the generic reader's, as in the prompt without it; only after a preposition or a verb of
  // effect, never where it asks the assistant ("what is your name": after a copula).
  const genericYour = !forms.some(({ form }) => PERSONS.has(form));
  const out: PromptToken[] = [];
  let after: string | undefined;
  let lead: string[] = [];
  for (const [i, { form, possessor }] of forms.entries()) {
    const previous = forms[i - 1]?.form;
    const harmless = HARMLESS.has(form) || (firstPerson && form === 'my') ||
      // "Am" next to "I" is the copula "is" and "are" are ("why am I always tired" / "why I am always tired").
      (form === 'am' && (previous === 'i' || forms[i + 1]?.form === 'i')) ||
      (genericYour && form === 'your' && previous !== undefined && YOUR_AFTER.has(previous)) ||
      // 把 right after 怎么 only puts the object before its verb (怎么把墨水洗掉 / 墨水怎么洗掉).
      (form === '把' && previous === '怎么') || (whQuestion && form === '都') || (previous !== undefined && isHan(previous) && FREE_ORDER.has(previous) && ZH_CLASSIFIERS.has(form));
    out.push({ form, harmless, free: FREE_ORDER.has(form), after, lead, possessor });
    if (harmless) lead = [...lead, form];
    else {
      after = form;
      lead = [];
    }
  }
  return out;
}
