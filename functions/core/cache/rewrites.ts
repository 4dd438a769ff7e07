// Rewrites of whole phrases for the differential check, applied in order to the lower-cased prompt
// before it is tokenised: framing that changes how a question is asked, never what it asks, is removed
// ("can you tell me", "does anyone know"), and a closed list of constructions is put the way their plainer
// paraphrase says them ("what does X mean" -> "what is X", "the height of" -> "how tall is"). The Chinese
// ones (请问, 能不能 -> 能) are in rewrites-zh.ts and apply after these. Each rewrite keeps every word that
// could change the answer; a rewrite that is wrong can only cost a hit when both sides still differ in a
// content word.

import { POSSESSIVE } from './lexicon.ts';
import { ZH_FRAMING } from './rewrites-zh.ts';
import { verbOfIng } from './wordnet.ts';

/** Language names, for "what is X in French" (a translation) as against "what is X in Paris". */
const LANGUAGES = 'english|french|spanish|german|italian|portuguese|dutch|russian|chinese|mandarin|cantonese|japanese|korean|arabic|hindi|bengali|urdu|turkish|greek|latin|hebrew|polish|swedish|norwegian|danish|finnish|czech|hungarian|romanian|thai|vietnamese|indonesian|malay|swahili|persian|ukrainian|tagalog|irish|welsh';

/** Past participles as the simple past an active question asks with ("who was X stolen by" / "who stole X"). */
const PAST: Record<string, string> = {
  written: 'wrote', drawn: 'drew', sung: 'sang', given: 'gave', taken: 'took', done: 'did', known: 'knew', seen: 'saw', spoken: 'spoke',
  chosen: 'chose', begun: 'began', broken: 'broke', stolen: 'stole', beaten: 'beat',
};

/** -ing words that are nouns or prepositions, never a gerund that opens a terse "how to" query. */
const NOT_GERUNDS = new Set(['something', 'anything', 'nothing', 'everything', 'morning', 'evening', 'building', 'wedding', 'ceiling', 'string', 'spring', 'thing', 'things', 'clothing', 'during', 'according', 'including', 'using', 'regarding', 'following', 'setting', 'meaning', 'feeling', 'king', 'ring', 'wing', 'pudding', 'housing', 'heading', 'ending', 'beginning', 'painting', 'drawing', 'reading', 'writing', 'learning', 'training', 'meeting', 'parking', 'shopping', 'sibling', 'darling', 'earring', 'bring', 'sting', 'swing', 'thing']);

/** Units a terse conversion ("5 miles to km") names on both sides. */
const UNITS = 'km|kms|kilometers?|kilometres?|miles?|mi|meters?|metres?|m|feet|foot|ft|inch(?:es)?|in|cm|centimeters?|centimetres?|mm|millimeters?|yards?|kg|kgs|kilograms?|pounds?|lbs?|grams?|g|ounces?|oz|stones?|tons?|tonnes?|cups?|liters?|litres?|l|ml|milliliters?|millilitres?|gallons?|gal|quarts?|pints?|tablespoons?|tbsp|teaspoons?|tsp|celsius|fahrenheit|kelvin|c|f|seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|mph|kph|km/h|acres?|hectares?|bytes?|kb|mb|gb|tb|usd|eur|gbp|jpy|cny|dollars?|euros?|yen|yuan|rupees?';

/** Agent nouns at the end of a terse query ("Starry Night painter") and the verb a question asks with. */
const TERSE_AGENTS: Record<string, string> = { author: 'wrote', writer: 'wrote', painter: 'painted', inventor: 'invented', founder: 'founded', creator: 'created', composer: 'composed', director: 'directed', discoverer: 'discovered' };

type Replacer = (match: string, ...groups: string[]) => string;

/** Adjectives that ask for an attribute named by a noun. */
const ATTRIBUTES: Record<string, string> = { height: 'tall', age: 'old', size: 'big', length: 'long', width: 'wide', depth: 'deep', weight: 'heavy' };

/** The verb each temperature point names ("the smoke point of" / "what temperature does X smoke at"). */
const POINTS: Record<string, string> = { boiling: 'boil', melting: 'melt', freezing: 'freeze', smoke: 'smoke', smoking: 'smoke' };

/** Adjectives of manner in "a polite way to X" and the adverb "how to X politely" asks with. */
const MANNERS: Record<string, string> = { polite: 'politely', gentle: 'gently', cheap: 'cheaply', inexpensive: 'cheaply', quiet: 'quietly', respectful: 'respectfully', professional: 'professionally' };

/** Agent nouns as the verb a question about the past asks with ("who was the founder of" / "who founded"). */
const AGENTS: Record<string, string> = { inventor: 'invented', founder: 'founded', discoverer: 'discovered', creator: 'created', author: 'wrote', writer: 'wrote' };

/** Framing that changes how a question is asked, never what it asks; removed before tokenising. */
export const FRAMING: ReadonlyArray<[RegExp, string | Replacer]> = [
  [/^(?:hey|hi|hello)(?: there)?\b[,!.]?\s*/u, ''],
  // Contractions typed without the apostrophe, and texting spellings.
  [/\byoure\b/gu, 'you are'], [/\btheyre\b/gu, 'they are'], [/\bthats\b/gu, 'that is'], [/\btheres\b/gu, 'there is'],
  [/\bwhos\b/gu, 'who is'], [/\bive\b/gu, 'i have'], [/\bur\b/gu, 'your'], [/\b(?:cuz|coz|bc)\b/gu, 'because'],
  [/^(?:(?:ok|okay|so|hey|hi)\s*[,.!]?\s+)?(?:quick|random|silly|dumb|stupid|weird|odd) (?:question|q|one)\s*[:,-]?\s*(?:but\s+)?/u, ''],
  [/^(?:just )?(?:curious|wondering)\s*[:,.!-]*\s*/u, ''],
  [/^(?:excuse me|pardon me|pardon)\s*[,.!]?\s*/u, ''],
  [/^(?:i have|i've got|i got|i've|just) (?:a )?(?:quick )?question\s*[:,.-]?\s*/u, ''],
  // Asking someone else, or asking leave to ask ("does anyone know how…", "can someone explain…", "I want to
  // ask how…", "wait, …"): the question that follows is the whole request. "Can I ask my boss for a raise"
  // stays a question, since a question word (or a task verb) must follow.
  [/^(?:what do you know about|do you know anything about|what can you tell me about|give me (?:a |an )?(?:quick |brief |short )?(?:overview|rundown|intro|introduction) (?:of|to|on))\b/u, 'tell me about'],
  [/^what would be\b/u, 'what is'],
  // "Pls help:", "Question:", "please help!" at either end, "teach / remind me how", "I forgot how", "walk me
  // through V-ing", "a guide to V-ing", "step by step": ways of asking that ask nothing more.
  [/^(?:pls|plz|please)?\s*help(?: me)?(?: please| pls| plz)?\s*[:!,.]+\s*(?=\S)/u, ''],
  [/[.!?,]+\s*(?:please|pls|plz)?\s*help(?: me)?(?: please| pls| plz)?\s*[!.]*\s*$/u, '?'],
  [/^(?:question|q)\s*[:\-–—]\s*/u, ''],
  [/^(\p{L}+(?: \p{L}+)?) question\s*[:\-–—]\s*(?=(?:how|what|why|where|when|which|who)\b)/u, '$1: '],
  [/^(?:please )?(?:teach|remind|show) me (?=how\b)/u, ''],
  [/^i (?:forgot|forget|can not remember|cannot remember|can't remember|do not remember|don't remember) (?=(?:how|what|where|when|why|which|who)\b)/u, ''],
  [/^(?:please\s+)?(?:can|could|would|will) you (?:please )?(?=walk me through\b)/u, ''],
  [/^(?:please )?walk me through (\p{L}+ing)\b/u, (whole: string, gerund: string) => { const v = verbOfIng(gerund); return v ? `how to ${v}` : whole; }],
  [/^(?:a |the )?(?:step by step |quick |simple |complete |beginner )?guide (?:to|for|on) (\p{L}+ing)\b/u, (whole: string, gerund: string) => { const v = verbOfIng(gerund); return v ? `how to ${v}` : whole; }],
  [/\s*[,:\-–—(]?\s*step by step\)?\s*([?.!]*)$/u, '$1'],
  // A topic in front of a question about it ("Excel: how to freeze panes") is where the question is asked.
  [/^(\p{L}+(?: \p{L}+)?)\s*[:\-–—]\s*((?:how|what|why|where|when|which|who)\b.+?)\s*([?.!]*)$/u, '$2 in $1$3'],
  // "Which vitamins help with hair growth", "what vitamins are good for hair growth" and "vitamins for hair
  // growth" ask one thing; "bad for", "cause" and the rest stay words of their own.
  [/^(?:what|which) (\p{L}+(?: \p{L}+)?) (?:can )?(?:help|helps|are good|is good|work|works) (?:with|for) /u, '$1 for '],
  [/^(?:wait|btw|by the way|honestly|seriously|real quick|ok real quick)\s*[,:!.\-]+\s*/u, ''],
  [/^(?:does|do) (?:anyone|anybody|someone|somebody|you) (?:here )?(?:happen to )?know\b[,:]?\s*/u, ''],
  [/^(?:can|could|would|will) (?:anyone|anybody|someone|somebody) (?:please )?(?=(?:tell|explain|help|show|give)\b)/u, ''],
  [/^(?:i (?:want|wanted|would like|'d like|need) to ask(?: you)?|let me ask you|can i ask(?: you)?|could i ask(?: you)?|may i ask(?: you)?)(?: (?:something|a question|this))?\s*[,:.?!\-]*\s*(?=(?:what|how|why|who|when|where|which|is|are|do|does|can|should)\b)/u, ''],
  [/^(?:please\s+)?(?:do you |would you )?mind (?:telling me|explaining|giving me|showing me)\b\s*/u, ''],
  [/^sorry (?:to bother you|to ask|for asking|for the (?:silly|dumb|stupid) question)\s*[,.!]?\s*(?:but\s+)?/u, ''],
  // A discourse marker that opens a question ("so, what is ...").
  [/^(?:(?:so|ok|okay|well|um|uh|alright|ugh|argh|hmm|oh|oops|yo|help\s*!+)\s*[,.!]?\s+)+/u, ''],
  // "Can you help me? How do I …": a plea for help before the question asks nothing itself.
  [/^(?:can|could|would|will) you (?:please )?help me(?: (?:with something|out|with a question|quickly))?\s*[?.!,:;]+\s*(?=\S)/u, ''],
  [/^(?:would|will|are) you (?:be )?able to (?=(?:tell|explain|give|show|describe|help|let)\b)/u, ''],
  [/^(?:do you have|have you got|you got|got)(?: any)? (tips|advice|suggestions|recommendations|ideas)\b/u, '$1'],
  // "What do you know about X", "give me an overview of X" ask "tell me about X".
  [/^(?:i am|i'm|im) (?:just )?(?:wondering|not sure|unsure)|^i have no idea|^no idea/u, (whole: string) => `${whole}\u0000`],
  [/^[^\u0000]*\u0000\s*[,:]?\s*(?=(?:how|what|why|where|when|which|who|whether|if)\b)/u, ''],
  [/\u0000/gu, ''],
  // "Can you ..." before a task verb is a request; before other verbs ("can you swim") it is a question.
  [/^(?:please\s+)?(?:can|could|would|will) you (?:(?:please|kindly|possibly|just) )*(?=(?:tell|explain|give|show|list|recommend|describe|summari[sz]e|translate|write|name|define|suggest|provide|compare|calculate|compute|convert|find|check|fix|rewrite|generate|create|make|draft|solve|count|identify|help|outline|sort|spell|correct|proofread|rephrase|paraphrase|let)\b)/u, ''],
  [/^(?:please\s+)?i(?: would|'d)? (?:like|want|need) you to (?:please )?/u, ''],
  [/^(?:i would|i'd) (?:really )?(?:appreciate it|be grateful|love it) if you (?:could|would|can) (?:please )?/u, ''],
  [/^(?:please\s+)?would you mind (?:telling me|explaining|giving me|showing me)\b\s*/u, ''],
  [/^(?:please\s+)?(?:list|name|enumerate|give me|provide|recommend|suggest)\b\s*(?:some |a few |several )?/u, ''],
  [/^what are some\b/u, 'what are'],
  [/\b(?:thanks|thank you|thx)(?: (?:so|very) much)? in advance\b/gu, ''],
  [/\bthank you\b/gu, ''],
  [/^(?:i (?:do not|don't|dont) (?:understand|get|know)|i want to know|i need to know|i want to understand|i would like to understand|i(?: would|'d|d) like to know|i wonder|i was wondering|i am curious|i'm curious|do you know|any idea|please tell me|tell me|let me know|is it true that|can you help me understand|help me understand)\b[,:]?\s*(?:some |a few |several )?/u, ''],
  // An embedded question keeps statement order ("do you know when the tower was built"): put the verb back
  // before a subject that starts with a determiner ("how old the universe is" is left alone).
  [/^(when|where|why|how|what) ((?:the|a|an|my|your|his|her|our|their|this|that|these|those) .+?) (is|are|was|were)((?: \p{L}+)?)\s*([?.!]*)$/u, (whole: string, wh: string, subject: string, be: string, rest: string, end: string) => (/\b(?:is|are|was|were)\b/u.test(subject) ? whole : `${wh} ${be} ${subject}${rest}${end}`)],
  // "The boiling point of X" asks "at what temperature does X boil" (and so the melting, freezing and smoke
  // points); "what temperature does X smoke at" is the same question. The verb names the point, so
  // boiling and freezing still differ, and a scale ("in Fahrenheit") is kept wherever it was asked.
  [/^(?:what is |what are )?(?:the )?(boiling|melting|freezing|smoke|smoking) points? of (.+?)(?: (in (?:celsius|fahrenheit|kelvin)))?\s*([?.!]*)$/u, (_, point: string, thing: string, scale: string | undefined, end: string) => `what temperature does ${thing} ${POINTS[point]}${scale ? ` ${scale}` : ''}${end}`],
  [new RegExp(`^(?:what is |what are )?(?!(?:what|how|why|who|when|where|which|is|are|do|does|the|a|an)\\b)(.+?)(?: ${POSSESSIVE})? (boiling|melting|freezing|smoke|smoking) points?(?: (in (?:celsius|fahrenheit|kelvin)))?\\s*([?.!]*)$`, 'u'), (_, thing: string, point: string, scale: string | undefined, end: string) => `what temperature does ${thing} ${POINTS[point]}${scale ? ` ${scale}` : ''}${end}`],
  [/^(?:at )?what temperature(?: (in (?:celsius|fahrenheit|kelvin)))? (?:does|do) (.+?) (boil|melt|freeze|smoke|start to smoke|begin to smoke)(?: at)?(?: (in (?:celsius|fahrenheit|kelvin)))?\s*([?.!]*)$/u, (_, first: string | undefined, thing: string, verb: string, last: string | undefined, end: string) => `what temperature does ${thing} ${verb.replace(/^(?:start|begin) to /u, '')}${first ?? last ? ` ${first ?? last}` : ''}${end}`],
  // "Whether" in an embedded question is "if"; "what happens when" asks "what happens if".
  [/\bwhether\b(?: or not\b)?/gu, 'if'],
  [/^what (happens|happened|will happen|would happen|occurs|occurred|will occur|would occur) when\b/u, 'what $1 if'],
  // "In simple terms", "in plain English", "like I'm five" all say "simply" (which may sit anywhere).
  [/\b(?:in (?:simple|plain|easy|basic|layman|laymans|lay) (?:terms|words|language|english)|in layman (?:zqpossessivezq )?terms|like i am (?:five|5))\b/gu, 'simply'],
  // "Turn X into Y" is "convert X to Y".
  [/\bturn (\p{L}+(?: \p{L}+){0,3}?) (?:into|to) /gu, 'convert $1 to '],
  // "My cat keeps X, is that normal?": "that" / "this" point back at the situation, as "it" does.
  [/[,.;!?]\s*is (?:that|this) (normal|bad|dangerous|ok|okay|safe|serious|a problem|a concern|healthy)\s*([?.!]*)$/u, ', is it $1$2'],
  // "Newborn sneezing a lot, is that normal?" asks "is it normal for a newborn to sneeze a lot" (a subject of
  // up to three words, then its -ing verb).
  [/^(?!(?:what|how|why|who|when|where|which|is|are|do|does|can|i)\b)((?:my |our |a |an |the )?(?!(?:keeps?|kept|is|are|was|were|has|have|had|starts?|started|stops?|stopped|be|been|am)\b)\p{L}+(?: (?!(?:keeps?|kept|is|are|was|were|has|have|had|starts?|started|stops?|stopped|be|been|am)\b)\p{L}+){0,2}?) (\p{L}+ing)\b(.*?)\s*[,;.!?]+\s*is it (normal|bad|dangerous|ok|okay|safe|serious|healthy)\s*([?.!]*)$/u, (whole: string, subject: string, gerund: string, rest: string, adjective: string, end: string) => { const v = verbOfIng(gerund); return v ? `is it ${adjective} for ${subject} to ${v}${rest}${end}` : whole; }],
  [/^is it (normal|bad|dangerous|ok|okay|safe|serious|healthy) for (my|our) (.+?) to (\p{L}+)/u, 'is it $1 if $2 $3 $4'],
  [/^is it (normal|bad|dangerous|ok|okay|safe|serious|healthy) that (?=(?:my|our)\b)/u, 'is it $1 if '],
  [/\b(explain|describe|tell|show|give)(?: it)? to me\b/gu, '$1'],
  [/\bthe definition of\b|(?:\bthe |^)meaning of the (?:word|term|phrase)\b|\bthe meaning of (?=["'“‘])/gu, ''],
  // "The meaning of X" / "X meaning" ask what a one-word X means ("the meaning of life" is a question of
  // its own, and so is the meaning of a longer phrase: a song, a dream).
  [/^(?:what is |what's )?the meaning of (?!life\b)(\p{L}+)\s*([?.!]*)$/u, 'what is $1$2'],
  [/^(?!life\b)(\p{L}+) (?:meaning|definition)\s*([?.!]*)$/u, 'what is $1$2'],
  [/^what does the (word|term|phrase) (.+) mean\b/u, '$2'],
  [/\bto the power of\b/gu, 'power'],
  [/\bwhich one\b/gu, 'which'],
  [/\bhow come\b/gu, 'why'],
  // "How do you say X in French" asks for a translation; the other way round it is a question about French.
  [/^how (?:do|would|can|could|should) (?:i|you|we|one) say (.+) in (\p{L}+)\s*([?.!]*)$/u, 'translate $1 to $2$3'],
  [/\b(translat\p{L}*\b.*) in (\p{L}+)\s*([?.!]*)$/u, '$1 to $2$3'],
  // "What is X in French" asks for a translation when the last word names a language.
  [new RegExp(`^what (?:is|are) (.+?) in (${LANGUAGES})\\s*([?.!]*)$`, 'u'), 'translate $1 to $2$3'],
  [/^(?:if|whether) you (?:could|can|would|might) (?:please )?(?:tell|explain|show|give)(?: me)?\b\s*/u, ''],
  [/^what (?:does|do) (.+) mean\s*([?.!]*)$/u, 'what is $1$2'],
  [/^what is meant by\b/u, 'what is'],
  [/^what (is|are|was|were) (.+?) like\b/u, 'how $1 $2'],
  // An embedded question keeps its statement order ("do you know how many moons Jupiter has"): read it
  // as the question it embeds. Only "has/have" at the end, so "had" keeps its past.
  [/^how many (\p{L}+) (?!(?:does|do|did|is|are|was|were|has|have|had|can|will|would|should|in|on|of|at|for|to)\b)(.+?) (?:has|have)\s*([?.!]*)$/u, 'how many $1 in $2$3'],
  // "The number of legs on a spider" asks "how many legs does a spider have".
  [/^(?:what is )?the number of (\p{L}+(?: \p{L}+)?) (?:on|in|of|does|do) (?:a |an |the )?(.+?)\s*([?.!]*)$/u, 'how many $1 in $2$3'],
  [/\bnumber of (\p{L}+) (?:on|in) (?:a |an |the )?(.+?)\s*([?.!]*)$/u, 'how many $1 in $2$3'],
  [/\bhow many (.+?) (?:does|do|can|will) (.+?) (?:have|hold|contain)\b/u, 'how many $1 in $2'],
  // "What side effects does X have" asks "what are the side effects of X".
  [/^what (\p{L}+(?: \p{L}+)?) (?:does|do) (.+?) have\s*([?.!]*)$/u, 'what are the $1 of $2$3'],
  [/^what (language|languages|currency|software|fuel|alphabet|system|calendar) (?:does|do) (.+?) use\s*([?.!]*)$/u, 'what is the $1 of $2$3'],
  // "Is there a way to X", "what should I do to X": how to X.
  [/^is there (?:a|any) (?:way|method) (?:to|for|of)\b/u, 'how to'],
  [/^what (?:should|can|do) i do to\b/u, 'how do i'],
  // "I need a recipe for X" is the request "a recipe for X".
  [/^(?:(?:i )?(?:need|want|would like|'d like)|i am looking for|looking for) (?=(?:a|an|some)\b)/u, ''],
  [/\bhow much time\b/gu, 'how long'],
  // "What does X cost" asks "how much does X cost"; "where can I X" asks "where to X" ("where should I" stays).
  [/\bwhat (does|do|did|will|would) (.+?) cost\b/gu, 'how much $1 $2 cost'],
  [/\bwhere (?:can|could) (?:i|we|one) /gu, 'where to '],
  [/^when (is|was|will be) the (best|worst|right|ideal|cheapest) time\b/u, 'what $1 the $2 time'],
  // "Get a stain out of a shirt" is "remove a stain from a shirt" (an object between the words).
  [/\b(?:get|gets) (?!out\b)(\p{L}+(?: \p{L}+){0,3}) out of\b/gu, 'remove $1 from'],
  // "How long does it take for a tattoo to heal" asks "how long does a tattoo take to heal" (tense kept).
  [/\bhow long (does|do|will|did|would) it take (?:for )?(?!to\b)(.+?) to (\p{L}+)/gu, 'how long $1 $2 take to $3'],
  // "Without using X" is "without X".
  [/\bwithout using\b/gu, 'without'],
  // "Prevent / keep X from V-ing" is "stop X from V-ing"; "what led to X" is "what caused X".
  [/\b(?:prevent|keep|stop)(s|ed|ing)? (\p{L}+(?: \p{L}+){0,3}) from\b/gu, (_, ending: string | undefined, object: string) => `${{ s: 'stops', ed: 'stopped', ing: 'stopping' }[ending ?? ''] ?? 'stop'} ${object} from`],
  [/\bkept (\p{L}+(?: \p{L}+){0,3}) from\b/gu, 'stopped $1 from'],
  [/\bwhat (?:led|leads|lead) to\b/gu, (whole: string) => (whole.includes('led') ? 'what caused' : 'what causes')],
  // "What causes X to V" asks "why does X V" (and "what caused" "why did").
  [/^what (causes|caused) (.+?) to (\p{L}+)/u, (_, verb: string, subject: string, action: string) => `why ${verb === 'caused' ? 'did' : 'does'} ${subject} ${action}`],
  // "Every day", "each day", "per day" are "daily" (and so for week, month, year).
  [/\b(?:every|each|per) (day|week|month|year)\b/gu, (_, unit: string) => ({ day: 'daily', week: 'weekly', month: 'monthly', year: 'yearly' })[unit] ?? unit],
  [/\b(?:the )?(?:whole|entire) world\b/gu, 'the world'],
  // "The job / role / function of X" and "X's job" ask "what does X do" (tense kept: "what was the role of X"
  // asks "what did X do").
  [/^(?:what (is|are|was|were) )?the (?:main |primary )?(?:job|role|function|duties) of (.+?)\s*([?.!]*)$/u, (_, verb: string | undefined, owner: string, end: string) => `what ${verb === 'was' || verb === 'were' ? 'did' : 'does'} ${owner} do${end}`],
  [new RegExp(`^what (is|are|was|were) (.+?) ${POSSESSIVE} (?:main |primary )?(?:job|role|function|duties)\\s*([?.!]*)$`, 'u'), (_, verb: string, owner: string, end: string) => `what ${verb === 'was' || verb === 'were' ? 'did' : 'does'} ${owner} do${end}`],
  // "At what age do babies walk" asks "when"; other units ("at what time") stay words.
  [/\bat what age\b/gu, 'when'],
  // "Speed up X" is "make X faster" (tense kept).
  [/\bspeed(s|ing)? up (.+?)\s*([?.!]*)$/u, (_, ending: string | undefined, object: string, end: string) => `${{ s: 'makes', ing: 'making' }[ending ?? ''] ?? 'make'} ${object} faster${end}`],
  [/\bspeed(s|ing)? (\p{L}+(?: \p{L}+){0,3}?) up\b/gu, (_, ending: string | undefined, object: string) => `${{ s: 'makes', ing: 'making' }[ending ?? ''] ?? 'make'} ${object} faster`],
  // "Am I allowed to", "may I" ask "can I".
  [/^(?:am i|are we|is one) allowed to\b/u, (whole: string) => `can ${whole.startsWith('am') ? 'i' : whole.startsWith('are') ? 'we' : 'one'}`],
  [/^may (i|we)\b/u, 'can $1'],
  // "Bad for you" is "bad" and "good for you / for your health" is "healthy" (a question about the body).
  [/\b(?:good|great) for (?:you|your health|your body)\b/gu, 'healthy'],
  [/\b(bad|harmful|dangerous|unhealthy) (?:for|to) (?:you|your health|your body)\b/gu, '$1'],
  // A gerund subject ("is cracking your knuckles bad", "how long does getting a passport take") asks what
  // its "it … to V" form asks.
  [/^(is|was) (\p{L}+ing) (.+?) (safe|ok|okay|fine|healthy|unhealthy|dangerous|harmful|bad|good|easy|hard|difficult|possible|legal|illegal|necessary|normal)((?: (?:for|to|in|at|during|with|after|before) .+?)?)\s*([?.!]*)$/u, (whole: string, verb: string, gerund: string, object: string, adjective: string, rest: string, end: string) => { const v = verbOfIng(gerund); return v ? `${verb} it ${adjective} to ${v} ${object}${rest}${end}` : whole; }],
  [/\bhow long (does|do|did|will|would) (\p{L}+ing) (.+?) take\b/gu, (whole: string, aux: string, gerund: string, object: string) => { const v = verbOfIng(gerund); return v ? `how long ${aux} it take to ${v} ${object}` : whole; }],
  // "The origin of X" asks "where does X come from".
  [/^(?:what (?:is|are) |about )?the origins? of (.+?)\s*([?.!]*)$/u, 'where does $1 come from$2'],
  // A question word tacked on at the end ("my laptop gets hot when gaming, why?") asks the question in front.
  [/^(?!why\b)(.+?)\s*[,.;:\-–—]+\s*(?:but )?why\s*([?!.]*)$/u, 'why $1$2'],
  // "How long does X last / keep / stay good": one question of how long a thing keeps (not of a person).
  [/\bhow long (?:can|does|do|will|would|should) (?!(?:i|you|we|he|she|they|one|people|a person|someone|my body)\b)(.+?) (?:last|keep|stay good|stay fresh|stay|be kept|be stored|be good|be left)\b/gu, 'how long does $1 last'],
  // "How can I tell if X" is "how do I know if X".
  [/\bhow (?:do|can|could|would) (?:i|you|we|one) (?:tell|know) (?=(?:if|whether)\b)/gu, 'how do i know '],
  // "Where is X" and "the location of X"; "X used for", "the uses of X", "what can X be used for".
  [/^(?:what is )?(?:the )?(?:exact )?location of\b/u, 'where is'],
  [/^(?:what are )?(?:the |some )?(?:main |common )?uses (?:of|for) (.+?)\s*([?.!]*)$/u, 'what is $1 used for$2'],
  [/^(?:what is )?the use of (.+?)\s*([?.!]*)$/u, 'what is $1 used for$2'],
  [/^what (?:can|could) (.+?) be used for\b/u, 'what is $1 used for'],
  // "What is a router for" asks what it is used for (a determiner and one or two words; "what is X good / known / short for" are other questions).
  [/^what (?:is|are) ((?:a|an|the|this|that|these|those|my|your) \p{L}+(?: \p{L}+)?)(?<!\b(?:used|good|known|famous|short|responsible|made|best|bad|great|useful|needed|necessary|required|eligible|ready|suitable|paid|named|called|grateful|thankful|sorry|late|early|here|there|looking|waiting|asking|searching)) for\s*([?.!]*)$/u, 'what is $1 used for$2'],
  // "The pronunciation / spelling of X" asks how to pronounce / spell it.
  [/^(?:what is )?(?:the )?(?:correct )?(pronunciation|spelling) of\b/u, (_, noun: string) => (noun === 'spelling' ? 'how to spell' : 'how to pronounce')],
  // "Another word for X" is "a synonym for X"; "antonym" is "opposite".
  [/\b(?:another|other|a different) words? (?:for|meaning)\b/gu, 'synonym for'],
  [/\bsynonyms?\b(?: (?:for|of))?/gu, 'synonym for'],
  [/\bantonyms?\b/gu, 'opposite'],
  // "X or Y, which is better?" asks "which is better, X or Y?".
  [/^(?!which\b)(.+?) or (.+?)\s*[,:;\-–—]\s*which (?:one )?is (\p{L}+er)\s*([?.!]*)$/u, 'which is $3 $1 or $2$4'],
  [/^which (?:one )?is (\p{L}+er)\s*[,:;\-–—]?\s*(.+?) or (.+?)\s*([?.!]*)$/u, 'which is $1 $2 or $3$4'],
  // "What will happen if" asks what "what happens if" asks (a condition, not a time).
  [/^what will happen (?=if|when)/u, 'what happens '],
  // "How much does X weigh" asks "how heavy is X" (tense kept).
  [/\bhow much (does|do|did) (.+?) weigh\b/gu, (_, aux: string, subject: string) => `how heavy ${aux === 'did' ? 'was' : 'is'} ${subject}`],
  // "Is X considered a Y" asks "is X a Y".
  [/^(is|are|was|were) (.+?) (?:considered|classed as|classified as)(?: to be)? (?=(?:a|an|the)\b)/u, '$1 $2 '],
  // "Get a screw out" is "remove a screw"; "get better at" is "improve at".
  [/\bget (?!rid\b)(\p{L}+(?: \p{L}+){0,3}) out\s*([?.!]*)$/u, 'remove $1$2'],
  [/\bget(?:ting)? better at\b/gu, 'improve at'],
  // A number with a unit "to" / "in" another unit ("5 miles to km") is a conversion.
  [new RegExp(`^(\\d[\\d.,]*\\s*(?:${UNITS})) (?:to|in|into) (${UNITS})\\s*([?.!]*)$`, 'u'), 'convert $1 to $2$3'],
  // "A cup of sugar in grams" converts a measure of a thing, as "how many grams are in a cup of sugar" does.
  [new RegExp(`^((?:(?:a|an|\\d[\\d.,]*)\\s*)?(?:${UNITS}) of \\p{L}+(?: \\p{L}+)?) (?:to|in|into) (${UNITS})\\s*([?.!]*)$`, 'u'), 'convert $1 to $2$3'],
  // "The world's tallest building" is "the tallest building in the world".
  [new RegExp(`\\b(?:the )?world ${POSSESSIVE} (\\p{L}+est) (\\p{L}+(?: \\p{L}+)?)\\s*([?.!]*)$`, 'u'), 'the $1 $2 in the world$3'],
  // "The fastest / quickest way to X" asks how to X fast ("fast" may sit anywhere).
  [/^(?:what is |what's |whats )?(?:the )?(?:fastest|quickest) (?:way|method) (?:to|of|for)\b(.+?)\s*([?.!]*)$/u, 'how to$1 fast$2'],
  // "A polite way to X" asks how to X politely (gently, cheaply, quietly alike: each adverb may sit anywhere).
  [/^(?:what is |what's |whats |what are )?(?:a |an |the |some )?(polite|gentle|cheap|inexpensive|quiet|respectful|professional) (?:ways?|methods?) (?:to|of|for)\b(.+?)\s*([?.!]*)$/u, (_, manner: string, rest: string, end: string) => `how to${rest} ${MANNERS[manner]}${end}`],
  [/^(?:what is |what's |whats )?(?:the )?(?:easiest|simplest) (?:way|method) (?:to|of|for)\b(.+?)\s*([?.!]*)$/u, 'how to$1 easily$2'],
  // "The best time of year to X" is "the best time to X".
  [/\b(best|worst|cheapest|ideal|right) time of (?:the )?year\b/gu, '$1 time'],
  // "Work out" with no object is "exercise" ("is it ok to work out with a cold").
  [/\bwork(s|ed|ing)? out(?=\s*(?:[?.!,]|$|with|after|before|at|in|on|during|while|every|daily|twice|once|when|if)\b|\s*[?.!]*$)/gu, 'exercise$1'],
  // "How many hours of sleep" asks "how much sleep".
  [/\bhow many hours of (\p{L}+)/gu, 'how much $1'],
  // "I need help writing X" asks "write X".
  [/^(?:i (?:need|want|could use|would like|'d like) )?(?:some )?help (?:with |on )?(\p{L}+ing)\b/u, (whole: string, gerund: string) => verbOfIng(gerund) ?? whole],
  // "Lower" as a verb ("how to lower my bill") is "reduce".
  [/\b(to|i|we|you|can|could|should|help|helps|ways to) lower\b/gu, '$1 reduce'],
  // "The habitat of X" asks where X live; "the caffeine content of X" asks how much caffeine is in X.
  [/^(?:what is |what's |whats )?(?:the )?(?:natural )?habitat of (.+?)\s*([?.!]*)$/u, 'where do $1 live$2'],
  [/^(?:what is |what's |whats )?(?:the )?(\p{L}+) content of (.+?)\s*([?.!]*)$/u, 'how much $1 is in $2$3'],
  // "When I'm gaming" is "when gaming": the asker is the subject either way.
  [/\b(when|while|after|before) (?:i am|i'm|im) (?=\p{L}+ing\b)/gu, '$1 '],
  // "What do I need to bring" asks "what should I bring" ("what to bring"); a terse query with "how" at the
  // end ("deactivate linkedin account how") asks how to do it.
  [/^what do (?:i|we) (?:need|require) to /u, 'what to '],
  [/^(?!(?:how|what|why|who|when|where|which)\b)(\p{L}.+?)\s*[,?]?\s+how\s*[?.!]*$/u, 'how to $1'],
  [/^what makes\b/u, 'why'],
  [/\bwho (?:is|was) the (inventor|founder|discoverer|creator|author|writer) of\b/gu, (_, noun: string) => `who ${AGENTS[noun]}`],
  // An attribute asked as a noun is the question its adjective asks ("the height of" / "how tall is").
  [/^(height|age|length|width|depth|weight) of\b/u, (_, noun: string) => `how ${ATTRIBUTES[noun]} is`],
  // A terse query that names the attribute last ("eiffel tower height") asks it of the rest; never "size"
  // ("shoe size" asks no size of a shoe).
  [/^(?!(?:what|how|why|who|when|where|which|is|are|do|does|my|your|the|a|an)\b)(.+?) (height|age|length|depth|weight)\s*([?.!]*)$/u, (_, owner: string, noun: string, end: string) => `how ${ATTRIBUTES[noun]} is ${owner}${end}`],
  [/\b(?:what (is|are|was|were) )?the (height|age|size|length|width|depth|weight) of\b/gu, (_, verb: string | undefined, noun: string) => `how ${ATTRIBUTES[noun]} ${verb ?? 'is'}`],
  [new RegExp(`^what (is|are|was|were) (.+?) ${POSSESSIVE} (height|age|size|length|width|depth|weight)\\b`, 'u'), (_, verb: string, owner: string, noun: string) => `how ${ATTRIBUTES[noun]} ${verb} ${owner}`],
  [/\bhow high\b/gu, 'how tall'],
  [/^how many people live in\b/u, 'what is the population of'],
  [/\bcapital city\b/gu, 'capital'],
  [/^how (?:does|do|is|are) (.+?) (?:differ|different) from (.+?)\s*([?.!]*)$/u, 'what is the difference between $1 and $2$3'],
  // "X vs Y difference", "X vs Y: what's the difference?" ask the difference between X and Y.
  [/^(?!what\b)(.+?) (?:vs\.?|versus) (.+?)(?:\s*[:,\-–—]\s*(?:what is|what are|what's|whats) the differences?| differences?)\s*([?.!]*)$/u, 'what is the difference between $1 and $2$3'],
  [/^(?:what is )?(?:the )?(?:price|cost) of (.+?)\s*([?.!]*)$/u, 'how much does $1 cost$2'],
  [/^(?!(?:what|how|why|who|when|where|which|is|are|do|does|the|a|an)\b)(.+?) (?:price|cost)\s*([?.!]*)$/u, 'how much does $1 cost$2'],
  [/^(?:what is )?(?:the )?distance (?:to|from here to) (.+?)\s*([?.!]*)$/u, 'how far is $1$2'],
  // "Pride and Prejudice author" asks who wrote it.
  [/^(?!(?:what|how|why|who|when|where|which|is|are|do|does|the|a|an)\b)(.+?) (author|writer|painter|inventor|founder|creator|composer|director|discoverer)\s*([?.!]*)$/u, (_, work: string, agent: string, end: string) => `who ${TERSE_AGENTS[agent]} ${work}${end}`],
  [/^(?:what is )?the distance (?:from|between) (.+?) (?:to|and) (.+?)\s*([?.!]*)$/u, 'how far is $2 from $1$3'],
  [/\bpros and cons\b/gu, 'advantages and disadvantages'],
  [/^(?:what is )?the reason (?:why |that )?/u, 'why '],
  // "How many kilograms is 10 pounds" converts 10 pounds, as "convert 10 pounds to kilograms" does (and
  // "how many days are in a week" is put the same way, whatever it is compared with).
  // A terse query naming the count last ("avocado calories") or first ("calories in an avocado") asks how
  // many there are in it.
  [/^(?!(?:what|how|why|who|when|where|which|is|are|do|does|can|the|a|an)\b)(.+?) (calories|kcal|carbs)\s*([?.!]*)$/u, 'how many $2 are in $1$3'],
  [/^(calories|kcal|carbs) in (.+?)\s*([?.!]*)$/u, 'how many $1 are in $2$3'],
  [/^how many (\p{L}+(?: (?!(?:is|are|in|make|makes|equal|equals|there)\b)\p{L}+)?) (?:(?:is|are) there in|(?:is|are) there|(?:is|are) in|is|are|in|make|makes|equals?) (?!there\b)(.+?)\s*([?.!]*)$/u, 'convert $2 to $1$3'],
  // "Trying to figure out how to X" embeds the question "how to X" (a wh-word must follow).
  [/^(?:i'm |i am |im )?(?:trying to |want to |need to )?(?:figure out|find out|work out|understand) (?=(?:how|what|why|where|when|which|who|whether|if)\b)/u, ''],
  [/^(?:please )?(?:calculate|compute|work out|figure out|evaluate)\b\s*/u, 'what is '],
  // A phrase in front ("For a beginner, which language is easiest?") is put at the end, where the rules
  // below read it; the check reads a moved phrase as the same question anyway.
  [/^((?:for|in|on|at|with|during|without) [^,?]{1,40}),\s*((?:what|which|how|why|who|when|where|is|are|do|does|can|should)\b.+?)\s*([?.!]*)$/u, '$2 $1$3'],
  // A superlative after its noun ("which land animal is the fastest") or before it ("the fastest land animal").
  [/^(?:what|which) (.+?) (is|are) (?:the )?((?:most |least )?\p{L}+)((?: (?:in|on|of|among|to|from|for|at|with) .+?)?)\s*([?.!]*)$/u, (whole: string, noun: string, verb: string, adjective: string, scope: string, end: string) => (/est$|^most |^least /u.test(adjective) ? `what ${verb} the ${adjective} ${noun}${scope}${end}` : whole)],
  [/\bwrite (?:me )?(?:a|an) (summary|translation|description|explanation|definition|comparison|list) of\b/gu, '$1 of'],
  [/\b(?:(?:give|provide)(?: me)? )?(?:a|an) (?:(?:short|brief|quick) )?(summary|translation|description|explanation|definition|comparison) of\b/gu, '$1'],
  [/[,\s]+yes or no\s*([?.!]*)\s*$/u, '$1'],
  [/\bwhat is the time\b/gu, 'what time is it'],
  // "What time is it in Tokyo" asks the time now there ("the current time in Tokyo").
  [/\bwhat time is it(?: (?:right )?now)?\b/gu, 'time now'],
  [/^(?:please )?help me (?:to )?(?!understand\b)/u, ''],
  [/\bis it possible (?:for me )?to\b/gu, 'can i'],
  [/\b(?:a|the) list of\b/gu, ''],
  // "Planets that have rings" are "planets with rings"; a question word ("who has the most Oscars") stays.
  [/(?<=\p{L}\s)(?<!\b(?:know|wonder|tell|ask|and|or|me|is|was|are|were)\s)\b(?:that|which|who) (?:have|has)\b(?! (?:to|been|got|had)\b)|\bhaving\b/gu, 'with'],
  // "The (best) way to X" and "what are some ways to X" ask how to X.
  [/^(?:what (?:is|are) )?(?:the |some |a )?(?:best |right |proper |correct |recommended |good )?(?:ways?|methods?) (?:to|of|for)\b/u, 'how to'],
  [/^(?:what (?:is|are) )?(?:the )?(?:procedure|process|steps) (?:to|for)\b/u, 'how to'],
  // A passive wh-question about the past asks what its active form asks ("X was painted by whom" /
  // "who painted X"); only with was/were, whose tense the -ed form keeps.
  [/^(?:who|whom) (was|were) (.+?) (\p{L}+ed|written|drawn|sung|built|made|given|taken|done|found|known|seen|spoken|chosen|led|held|won|begun|sold|bought|taught|thought|broken|stolen|shot|beaten|directed) by((?: (?:in|on|at|during|back in) .+?)?)\s*([?.!]*)$/u, (_, _be: string, object: string, done: string, rest: string, end: string) => `who ${PAST[done] ?? done} ${object}${rest}${end}`],
  [/^by (?:who|whom) (was|were) (.+?) (\p{L}+ed|written|drawn|sung|built|made|given|taken|done|found|known|seen|spoken|chosen|led|held|won|begun|sold|bought|taught|thought|broken|stolen|shot|beaten|directed)((?: .+?)?)\s*([?.!]*)$/u, 'who $3 $2$4$5'],
  [/^(?!who\b|whom\b)(.+?) (?:was|were) (\p{L}+ed|written|drawn|sung|built|made|given|taken|done|found|known|seen|spoken|chosen|led|held|won|begun|sold|bought|taught|thought|broken|stolen|shot|beaten|directed) by (?:who|whom)\s*([?.!]*)$/u, 'who $2 $1$3'],
  // "Be able to" is "can" (and "unable to" is "can not"); "was able to" keeps its past in "was".
  [/\bunable to\b/gu, 'can not'], [/\bable to\b/gu, 'can'],
  [/^where (is|are|was|were) (.+?) (?:located|situated)\b/u, 'where $1 $2'],
  // Tough movement: "are raw eggs safe to eat" asks "is it safe to eat raw eggs" (a closed class of
  // adjectives that take it; "is John ready to eat" is not one).
  [/^(?:is|are) (?!it\b)(.+?) (safe|ok|okay|fine|healthy|unhealthy|dangerous|harmful|bad|good|easy|hard|difficult|possible|legal|illegal|necessary) to (\p{L}+)\s*([?.!]*)$/u, 'is it $2 to $3 $1$4'],
  // Topic first, then the request ("writing a cover letter: any tips?" / "tips for writing a cover letter").
  [/^(?!(?:what|how|why|who|when|where|which)\b)(.+?)\s*[:,;\-–—]\s*(?:any |some )?(tips|advice|suggestions|ideas|recommendations)\s*([?.!]*)$/u, '$2 for $1$3'],
  [/\b(?:any|some) (tips|advice|suggestions|ideas|recommendations)\b/gu, '$1'],
  // A terse query that names its head last ("python list comprehension example") asks for that head of
  // the rest ("an example of a python list comprehension"); every word stays in order.
  [/^(?!(?:what|how|why|who|when|where|which|is|are|do|does|can|could|should|will|would|give|show|tell|list|any|some|good|best|the|a|an)\b)(.+?) (examples?|recipes?|tutorials?|tips|ideas)\s*([?.!]*)$/u, '$2 of $1$3'],
  [/^what (tips|advice|suggestions|ideas|recommendations) (?:do|would|can) you (?:have|give|suggest)\b/u, '$1'],
  // "Recipe for X" / "X recipe" ask how to make X.
  [/^(?:a |the |good |easy |simple )?recipes? (?:for|of) (?!disaster\b)/u, 'how to make '],
  // "Right now", "at the moment", "currently" all say "now" (and "now" may sit anywhere: lexicon.ts).
  [/\b(?:the )?current (?!(?:in|of|through|flow|flows|flowing|density|source|direction)\b)(\p{L}+)/gu, '$1 now'],
  [/\bright now\b|\bat the moment\b|\bat present\b|\bcurrently\b|\bpresently\b/gu, 'now'],
  // "How long should I boil an egg" asks "how long to boil an egg" (and so "how much", "how often", "how
  // many eggs"); only "should": "how long can I leave it out" asks something else.
  [/\bhow (long|much|often|frequently|far|soon|many \p{L}+|much \p{L}+) should (?:i|we|you|one)\b/gu, 'how $1 to'],
  [/\bhow long do (?:i|we|you|one) (?!have\b|need\b|get\b)(\p{L}+)/gu, 'how long to $1'],
  [/\bhow should (i|we)\b/gu, 'how do $1'],
  // A condition before "what should I do" is the same question as after it.
  [/^(?!what\b)(?:if )?(.+?)\s*[,;.!?]+\s*what (?:should|can|do) i do\s*([?.!]*)$/u, 'what should i do if $1$2'],
  [/^what (?:can|do) i do if\b|^what to do if\b/u, 'what should i do if'],
  // "What should I V" asks "what to V" ("what should I feed a rabbit" / "what to feed a rabbit").
  [/\bwhat should (?:i|we) /gu, 'what to '],
  // The asker's situation stated first, then the question ("I want to learn the violin, where should I
  // start?") is the question with an "if" ("where should I start if I want to learn the violin"); every
  // word stays, and "if" clauses may move (lexicon.ts).
  [/^((?:i(?: am|'m| want| need| would like|'d like| have| plan| wanna)|my|our)\b.+?)\s*[,;.!?]+\s*((?:what|how|where|which|who|when|should|can|could|is|are|do|does|will)\b.+?)\s*([?.!]*)$/u, '$2 if $1$3'],
  // Abbreviations: "what is X short for", "the full form of X" ask "what does X stand for".
  [/^what (?:is|are) (.+?) (?:short for|an abbreviation (?:for|of)|the abbreviation (?:for|of))\s*([?.!]*)$/u, 'what does $1 stand for$2'],
  [/^(?:what is )?the (?:full form|long form) of (.+?)\s*([?.!]*)$/u, 'what does $1 stand for$2'],
  // Phrasal verbs with one single-verb reading ("get rid of mold" / "eliminate mold"), tense kept.
  [/\b(?:get|gets) rid of\b/gu, 'eliminate'], [/\bgetting rid of\b/gu, 'eliminating'], [/\bgot rid of\b/gu, 'eliminated'],
  [/\bharmful (?:to|for)\b/gu, 'bad for'],
  [/\b(log|sign|check)(ged|ging|ed|ing|s)? into\b/gu, '$1$2 in to'],
  // A work "on" a subject is a work "about" it.
  [/\b(books?|articles?|papers?|podcasts?|courses?|videos?|documentar(?:y|ies)|lectures?|talks?|essays?|tips|advice|resources?|tutorials?|information|info|guides?) on\b/gu, '$1 about'],
  // "A joke about cats" is "a cat joke", "a podcast about history" "a history podcast" (one bare word after
  // "about", at the end).
  [/\b(jokes?|stories|story|poems?|songs?|facts?|riddles?|quiz|quizzes|puns?|books?|novels?|movies?|films?|podcasts?|documentar(?:y|ies)|shows?|games?) about (\p{L}+)\s*[,]?\s*(?:please|pls|plz)?\s*([?.!]*)$/u, '$2 $1$3'],
  [/\brich in\b/gu, 'high in'],
  // "On Linux, how do I ..." is "how do I ... on Linux" (a moved phrase, as the check reads it anyway),
  // put at the end so that the rule below reads both alike.
  [/^on (\p{L}+)\s*,?\s+(.+?)\s*([?.!]*)$/u, '$2 on $1$3'],
  // A noun with "on" and one bare word at the end is that word's noun ("notifications on Slack" / "Slack
  // notifications"). Both words and their order are kept, so "A on B" and "B on A" still differ.
  [/\b(?!(?:a|an|the|to|do|does|is|are|be|it|and|or|not|what|how|turn|log|sign|go|get|put|depend|depends|rely|relies|based|focus|live|sit|stand|sleep|work|click|tap|spend|spent)\b)(\p{L}{3,}) on (?!(?:a|an|the|my|your|his|her|our|their|its|this|that|these|those|it|them|me|him|us|you|someone|somebody|something|anyone|anybody|anything|everyone|everybody|everything|people|others|time|top|earth|sale|fire|duty|call|board|foot|purpose|average|demand|display|hold|line)\b)(\p{L}{2,})\s*([?.!]*)$/u, '$2 $1$3'],
  // "Tips for sleeping better" asks "how to sleep better"; a terse query that starts with a gerund and its
  // object ("removing gum from hair") asks how to do it.
  [/^(?:tips|hints|advice|suggestions) (?:(?:on|about|for) )?(?:how )?to\b/u, 'how to'],
  [/^(?:tips|hints|advice|suggestions) (?:for|on|about) (\p{L}+ing)\b/u, (whole: string, gerund: string) => { const v = verbOfIng(gerund); return v ? `how to ${v}` : whole; }],
  [/^(\p{L}{4,}ing) (?!(?:and|or|but|is|are|was|were|be|the|a|an|to|of|for|in|on|at|with|up|down|out|off)\b)(\p{L}.*)$/u, (whole: string, gerund: string, rest: string) => { const v = NOT_GERUNDS.has(gerund) ? undefined : verbOfIng(gerund); return v ? `how to ${v} ${rest}` : whole; }],
  // "What can I use instead of X", "a good substitute for X", "a replacement for X" ask one thing.
  [/\bwhat (?:can|could|should|do) (?:i|you|we|one) use instead of\b|\bwhat to use instead of\b|\b(?:a )?(?:good )?(?:substitute|replacement) (?:for|to)\b/gu, 'substitute for'],
  // "What's a good name for X", "some good gifts for X", "gift ideas for X" ask for ideas of one kind; a
  // time, an age, a place or a way is no idea of this kind ("a good time to visit" stays as it is).
  [/^(?:what (?:is|are) |what's |whats )?(?:a |some )?(?:good |nice |great )(?!(?:time|age|day|year|month|week|way|place|idea|number|amount|size|temperature|length|substitute|replacement|alternative)s?\b)(\p{L}+) (for|to)\b/u, '$1 ideas $2'],
  [/^(?:some )?(?:good |nice |great )?(\p{L}+) ideas (for|to)\b/u, '$1 ideas $2'],
  [/\bhow to\b/gu, 'how do i'],
  [/\bhow (?:do|does|can|could|would) (?:i|you|we|one)\b/gu, 'how do i'],
  [/^(?:what is|what are|what's)\s+(?=(?:the|a|an)\b)/u, ''],
  [/[,\s]+or not\s*([?.!]*)\s*$/u, '$1'],
  [/\bturn(?:ing|ed|s)? on\b/gu, 'enable'],
  [/\bturn(?:ing|ed|s)? off\b/gu, 'disable'],
  [/\bper cent\b/gu, 'percent'],
  // "What year" asks what "when" asks of a past event; other units of time ("what month") stay words.
  [/\b(?:in )?(?:what|which) year\b/gu, 'when'],
  [/\b(?:have|has) to\b/gu, 'must'],
  [/\binto\b/gu, 'to'],
  // "Best phones 2024" / "in 2024": a year at the very end reads alike with or without "in".
  [/\bin ((?:1[5-9]|20)\d\d)\s*([?.!]*)$/u, '$1$2'],
  ...ZH_FRAMING,
];
