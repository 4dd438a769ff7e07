// Rewrites of whole phrases for the differential check, applied in order to the lower-cased prompt
// before it is tokenised: framing that changes how a question is asked, never what it asks, is removed
// ("can you tell me", "请问"), and a few constructions are put the way their plainer paraphrase says
// them ("what does X mean" -> "what is X", "the height of" -> "how tall is", 能不能 -> 能). Each rewrite
// keeps every word that could change the answer; a rewrite that is wrong can only cost a hit when both
// sides still differ in a content word.

import { POSSESSIVE } from './lexicon.ts';

type Replacer = (match: string, ...groups: string[]) => string;

/** Adjectives that ask for an attribute named by a noun. */
const ATTRIBUTES: Record<string, string> = { height: 'tall', age: 'old', size: 'big', length: 'long', width: 'wide', depth: 'deep', weight: 'heavy' };

/** Agent nouns as the verb a question about the past asks with ("who was the founder of" / "who founded"). */
const AGENTS: Record<string, string> = { inventor: 'invented', founder: 'founded', discoverer: 'discovered', creator: 'created', author: 'wrote', writer: 'wrote' };

/** Framing that changes how a question is asked, never what it asks; removed before tokenising. */
export const FRAMING: ReadonlyArray<[RegExp, string | Replacer]> = [
  [/^(?:hey|hi|hello)(?: there)?\b[,!.]?\s*/u, ''],
  [/^quick question\s*[:,-]?\s*/u, ''],
  // "Can you ..." before a task verb is a request; before other verbs ("can you swim") it is a question.
  [/^(?:please\s+)?(?:can|could|would|will) you (?:please )?(?=(?:tell|explain|give|show|list|recommend|describe|summari[sz]e|translate|write|name|define|suggest|provide|compare|calculate|compute|convert|find|check|fix|rewrite|generate|create|make|draft|solve|count|identify|help|outline|sort|spell|correct|proofread|rephrase|paraphrase|let)\b)/u, ''],
  [/^(?:please\s+)?i(?: would|'d)? (?:like|want|need) you to (?:please )?/u, ''],
  [/^(?:please\s+)?would you mind (?:telling me|explaining|giving me|showing me)\b\s*/u, ''],
  [/^(?:please\s+)?(?:list|name|enumerate|give me|provide|recommend|suggest)\b\s*/u, ''],
  [/\bthank you\b/gu, ''],
  [/^(?:i want to know|i need to know|i want to understand|i would like to understand|i(?: would|'d|d) like to know|i wonder|i was wondering|i am curious|i'm curious|do you know|any idea|please tell me|tell me|let me know|is it true that|can you help me understand|help me understand)\b[,:]?\s*/u, ''],
  [/\b(explain|describe|tell|show|give)(?: it)? to me\b/gu, '$1'],
  [/\bthe definition of\b|\bthe meaning of the (?:word|term|phrase)\b/gu, ''],
  [/^what does the (word|term|phrase) (.+) mean\b/u, '$2'],
  [/\bto the power of\b/gu, 'power'],
  [/\bwhich one\b/gu, 'which'],
  [/\bhow come\b/gu, 'why'],
  // "How do you say X in French" asks for a translation; the other way round it is a question about French.
  [/^how (?:do|would|can|could|should) (?:i|you|we|one) say (.+) in (\p{L}+)\s*([?.!]*)$/u, 'translate $1 to $2$3'],
  [/\b(translat\p{L}*\b.*) in (\p{L}+)\s*([?.!]*)$/u, '$1 to $2$3'],
  [/^(?:if|whether) you (?:could|can|would|might) (?:please )?(?:tell|explain|show|give)(?: me)?\b\s*/u, ''],
  [/^what (?:does|do) (.+) mean\s*([?.!]*)$/u, 'what is $1$2'],
  [/^what is meant by\b/u, 'what is'],
  [/^what (is|are|was|were) (.+?) like\b/u, 'how $1 $2'],
  [/\bhow many (.+?) (?:does|do) (.+?) have\b/u, 'how many $1 in $2'],
  [/\bhow much time\b/gu, 'how long'],
  [/^what makes\b/u, 'why'],
  [/\bwho (?:is|was) the (inventor|founder|discoverer|creator|author|writer) of\b/gu, (_, noun: string) => `who ${AGENTS[noun]}`],
  // An attribute asked as a noun is the question its adjective asks ("the height of" / "how tall is").
  [/\b(?:what (is|are|was|were) )?the (height|age|size|length|width|depth|weight) of\b/gu, (_, verb: string | undefined, noun: string) => `how ${ATTRIBUTES[noun]} ${verb ?? 'is'}`],
  [new RegExp(`^what (is|are|was|were) (.+?) ${POSSESSIVE} (height|age|size|length|width|depth|weight)\\b`, 'u'), (_, verb: string, owner: string, noun: string) => `how ${ATTRIBUTES[noun]} ${verb} ${owner}`],
  [/\bhow high\b/gu, 'how tall'],
  [/^how many people live in\b/u, 'what is the population of'],
  [/\bcapital city\b/gu, 'capital'],
  [/^how (?:does|do|is|are) (.+?) (?:differ|different) from (.+?)\s*([?.!]*)$/u, 'what is the difference between $1 and $2$3'],
  [/^what is the (?:price|cost) of (.+?)\s*([?.!]*)$/u, 'how much does $1 cost$2'],
  [/^what is the distance (?:from|between) (.+?) (?:to|and) (.+?)\s*([?.!]*)$/u, 'how far is $2 from $1$3'],
  [/\bpros and cons\b/gu, 'advantages and disadvantages'],
  [/^what is the reason (?:why |that )?/u, 'why '],
  // "How many kilograms is 10 pounds" converts 10 pounds, as "convert 10 pounds to kilograms" does (and
  // "how many days are in a week" is put the same way, whatever it is compared with).
  [/^how many (\p{L}+(?: \p{L}+)?) (?:(?:is|are) there in|(?:is|are) there|(?:is|are) in|is|are|in|make|makes|equals?) (.+?)\s*([?.!]*)$/u, 'convert $2 to $1$3'],
  [/^(?:please )?(?:calculate|compute|work out|figure out|evaluate)\b\s*/u, 'what is '],
  // A superlative after its noun ("which land animal is the fastest") or before it ("the fastest land animal").
  [/^(?:what|which) (.+?) (is|are) the ((?:most |least )?\p{L}+)\s*([?.!]*)$/u, (whole: string, noun: string, verb: string, adjective: string, end: string) => (/est$|^most |^least /u.test(adjective) ? `what ${verb} the ${adjective} ${noun}${end}` : whole)],
  [/\bwrite (?:me )?(?:a|an) (summary|translation|description|explanation|definition|comparison|list) of\b/gu, '$1 of'],
  [/[,\s]+yes or no\s*([?.!]*)\s*$/u, '$1'],
  [/\bwhat is the time\b/gu, 'what time is it'],
  [/^(?:please )?help me (?:to )?(?!understand\b)/u, ''],
  [/\bis it possible (?:for me )?to\b/gu, 'can i'],
  [/\b(?:a|the) list of\b/gu, ''],
  // "Planets that have rings" are "planets with rings"; a question word ("who has the most Oscars") stays.
  [/(?<=\p{L}\s)(?<!\b(?:know|wonder|tell|ask|and|or|me|is|was|are|were)\s)\b(?:that|which|who) (?:have|has)\b(?! (?:to|been|got|had)\b)|\bhaving\b/gu, 'with'],
  [/\bhow to\b/gu, 'how do i'],
  [/\bhow (?:do|can|could) (?:i|you|we|one)\b/gu, 'how do i'],
  [/^(?:what is|what are|what's)\s+(?=(?:the|a|an)\b)/u, ''],
  [/[,\s]+or not\s*([?.!]*)\s*$/u, '$1'],
  [/\bturn(?:ing|ed|s)? on\b/gu, 'enable'],
  [/\bturn(?:ing|ed|s)? off\b/gu, 'disable'],
  [/\bper cent\b/gu, 'percent'],
  // "What year" asks what "when" asks of a past event; other units of time ("what month") stay words.
  [/\b(?:in )?(?:what|which) year\b/gu, 'when'],
  [/\b(?:have|has) to\b/gu, 'must'],
  [/\binto\b/gu, 'to'],
  // Chinese A-not-A questions ask what a 吗 question asks: 能不能 / 能…吗, 有没有 / 有…吗, 可不可以 / 可以…吗.
  [/可不可以/gu, '可以'],
  [/(\p{Script=Han})[不没]\1/gu, '$1'],
  [/你?(?:能|可以|能不能)告诉我|我想了解|想了解|是否/gu, ''],
  // Chinese framing: polite openers, "tell me", "I want to know", "a bit", emphasis.
  [/您/gu, '你'],
  [/(?:的)?意思是什么|是什么意思|什么意思/gu, '是什么'],
  [/的话/gu, ''],
  [/世界上/gu, '世界'], [/(怎么|如何|怎样|咋)才能/gu, '$1'], [/点钟/gu, '点'],
  [/的?(长度|高度|重量|宽度|深度)(?:是|有)?多少/gu, (_, noun: string) => `有多${noun[0]}`],
  [/(\p{Script=Han}{2})不\1/gu, '$1'],
  [/请问|请|麻烦你|麻烦|能告诉我|告诉我|我想知道|我想问|想问|你知道|帮我|给我|一下|到底|一共/gu, ''],
  [/哪一/gu, '哪'],
];
