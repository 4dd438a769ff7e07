// Word lists of the differential check (prompt-tokens.ts, differential.ts). The check is a whitelist:
// two prompts may share an answer only when every content word of one is in the other, so these lists
// say which words carry no meaning of their own (HARMLESS), which spellings mean the same (SYNONYMS),
// and which question words may move without changing the question (FREE_ORDER). Everything not listed
// counts as meaning: an unknown word never makes a hit, it can only cost one.

/** Framing that changes how a question is asked, never what it asks; removed before tokenising. */
export const FRAMING: ReadonlyArray<[RegExp, string]> = [
  [/^(?:hey|hi|hello)\b[,!.]?\s*/u, ''],
  [/^quick question\s*[:,-]?\s*/u, ''],
  // "Can you ..." before a task verb is a request; before other verbs ("can you swim") it is a question.
  [/^(?:please\s+)?(?:can|could|would|will) you (?:please )?(?=(?:tell|explain|give|show|list|recommend|describe|summari[sz]e|translate|write|name|define|suggest|provide|compare|calculate|compute|convert|find|check|fix|rewrite|generate|create|make|draft|solve|count|identify|help|outline|sort|spell|correct|proofread|rephrase|paraphrase)\b)/u, ''],
  [/^(?:please\s+)?would you mind (?:telling me|explaining|giving me|showing me)\b\s*/u, ''],
  [/^(?:please\s+)?(?:list|name|enumerate|give me|provide)\b\s*/u, ''],
  [/\bthank you\b/gu, ''],
  [/^(?:i want to know|i need to know|i(?: would|'d|d) like to know|i wonder|i was wondering|i am curious|i'm curious|do you know|any idea|please tell me|tell me|let me know|is it true that|can you help me understand|help me understand)\b[,:]?\s*/u, ''],
  [/\b(explain|describe|tell|show|give)(?: it)? to me\b/gu, '$1'],
  [/\bthe definition of\b|\bthe meaning of the (?:word|term|phrase)\b/gu, ''],
  [/^what does the (word|term|phrase) (.+) mean\b/u, '$2'],
  [/\bto the power of\b/gu, 'power'],
  [/\bwhich one\b/gu, 'which'],
  [/\bhow come\b/gu, 'why'],
  [/\bhow to\b/gu, 'how do i'],
  [/\bhow (?:do|can|could) (?:i|you|we|one)\b/gu, 'how do i'],
  [/^(?:what is|what are|what's)\s+(?=(?:the|a|an)\b)/u, ''],
  [/[,\s]+or not\s*([?.!]*)\s*$/u, '$1'],
  [/\bturn(?:ing|ed|s)? on\b/gu, 'enable'],
  [/\bturn(?:ing|ed|s)? off\b/gu, 'disable'],
  [/\bper cent\b/gu, 'percent'],
  // Chinese framing: polite openers, "tell me", "I want to know", "a bit", emphasis.
  [/请问|请|麻烦你|麻烦|能告诉我|告诉我|我想知道|我想问|想问|你知道|帮我|给我|一下|到底|一共/gu, ''],
  [/哪一/gu, '哪'],
];

/**
 * Words that change no answer when one prompt has them and the other does not. Not here on purpose:
 * tense and aspect (was, did, will, 了), quantifiers (all, some, 都), pronouns, negations.
 */
export const HARMLESS = new Set([
  'a', 'an', 'the', 'please', 'kindly', 'thanks', 'thank', 'do', 'does', 'can', 'could', 'is', 'are', 'be',
  'tell', 'explain', 'describe', 'define', 'give', 'show', 'me', 'there', 'of', 'for', 'about', 'exactly', 'just',
  'actually', 'really', 'basically', 'know', 'what',
  '的', '吗', '呢', '吧', '啊', '呀', '是', '个', '有', '等于', '之', '可以', '介绍', '解释',
]);

/** Spellings and words with one meaning, mapped to one form. */
export const SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['big', 'large'], ['bigger', 'larger'], ['biggest', 'largest'], ['quick', 'fast'], ['quicker', 'faster'], ['quickest', 'fastest'],
  ['repair', 'fix'], ['kid', 'child'], ['centre', 'center'], ['colour', 'color'], ['summarise', 'summarize'],
  ['favourite', 'favorite'], ['organise', 'organize'], ['analyse', 'analyze'], ['optimise', 'optimize'],
  ['author', 'write'], ['writer', 'write'], ['wrote', 'write'], ['written', 'write'],
  ['max', 'maximum'], ['%', 'percent'], ['which', 'what'],
  ['summary', 'summarize'], ['translation', 'translate'], ['comparison', 'compare'], ['recommendation', 'recommend'],
  ['suggestion', 'suggest'], ['calculation', 'calculate'], ['conversion', 'convert'], ['explanation', 'explain'],
  ['description', 'describe'], ['definition', 'define'],
  ['kilometre', 'kilometer'], ['km', 'kilometer'], ['metre', 'meter'], ['kg', 'kilogram'], ['lb', 'pound'], ['lbs', 'pound'],
  ['mg', 'milligram'], ['ml', 'milliliter'], ['millilitre', 'milliliter'], ['litre', 'liter'],
  ['hr', 'hour'], ['sec', 'second'],
  ['如何', '怎么'], ['怎样', '怎么'], ['咋', '怎么'], ['为啥', '为什么'], ['啥', '什么'], ['哪儿', '哪里'],
  ['能', '可以'], ['能够', '可以'], ['几', '多少'], ['之前', '前'], ['之后', '后'], ['以前', '前'], ['以后', '后'],
  ['千克', '公斤'], ['星期', '周'], ['礼拜', '周'], ['哪些', '什么'], ['哪个', '什么'], ['哪', '什么'],
]);

/** Question words: they may sit anywhere in the sentence ("why is the sky blue" / "天空为什么是蓝色的"). */
export const FREE_ORDER = new Set([
  'what', 'how', 'why', 'who', 'when', 'where', 'whom', 'whose',
  '什么', '怎么', '为什么', '哪里', '多少', '谁', '几时', '何时',
]);

/** Adverbs of manner that may sit anywhere ("briefly explain" / "explain briefly"); "only" is not one. */
export const MOVABLE_WORDS = new Set(['briefly', 'quickly', 'simply', 'exactly', 'precisely', 'clearly', 'concisely', 'roughly', 'approximately', '简单', '简要', '简单地']);

/** Prepositions that lead a phrase which may move to the front ("In Python, how do I ..."). */
export const MOVABLE_AFTER = new Set(['in', 'on', 'for', 'at', 'with', 'using', 'within', 'inside', '在']);

export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['zero', 0], ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7], ['eight', 8], ['nine', 9],
  ['ten', 10], ['eleven', 11], ['twelve', 12], ['thirteen', 13], ['fourteen', 14], ['fifteen', 15], ['sixteen', 16],
  ['seventeen', 17], ['eighteen', 18], ['nineteen', 19], ['twenty', 20], ['thirty', 30], ['forty', 40], ['fifty', 50],
  ['sixty', 60], ['seventy', 70], ['eighty', 80], ['ninety', 90], ['dozen', 12], ['half', 0.5], ['twice', 2], ['thrice', 3],
  ['once', 1], ['single', 1], ['double', 2], ['triple', 3], ['couple', 2], ['pair', 2],
]);

export const NUMBER_SCALES: ReadonlyMap<string, number> = new Map([
  ['hundred', 100], ['thousand', 1_000], ['million', 1_000_000], ['billion', 1_000_000_000], ['trillion', 1_000_000_000_000],
]);

/** Measure words and units that may follow a Chinese numeral inside one segment ("八点", "一千元"). */
export const ZH_MEASURES = /^(?:个|次|片|粒|点|天|年|月|日|号|周|小时|分钟|分|秒|岁|元|块|斤|两|公斤|公里|米|克|毫克|毫升|升|句|本|只|位|名|倍|座|条|张|杯|瓶|层|页|章|种|遍|倍)$/u;
