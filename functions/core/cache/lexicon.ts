// Word lists of the differential check (prompt-tokens.ts, differential.ts; the rewrites of whole
// phrases are in rewrites.ts). The check is a whitelist:
// two prompts may share an answer only when every content word of one is in the other, so these lists
// say which words carry no meaning of their own (HARMLESS), which spellings mean the same (SYNONYMS),
// and which question words may move without changing the question (FREE_ORDER). Everything not listed
// counts as meaning: an unknown word never makes a hit, it can only cost one.

/**
 * Words that change no answer when one prompt has them and the other does not. Not here on purpose:
 * tense and aspect (was, did, will, 了), quantifiers (all, some, 都), pronouns, negations.
 */
export const HARMLESS = new Set([
  'a', 'an', 'the', 'please', 'kindly', 'thanks', 'thank', 'do', 'does', 'can', 'could', 'is', 'are', 'be',
  'tell', 'explain', 'describe', 'define', 'give', 'show', 'me', 'there', 'of', 'for', 'about', 'exactly', 'just',
  'actually', 'really', 'basically', 'know', 'what',
  'that', 'to', 'hey', 'pls', 'plz', 'thx',
  '的', '吗', '呢', '吧', '啊', '呀', '啦', '嘛', '是', '个', '有', '等于', '之', '可以', '介绍', '解释',
]);

/** Spellings and words with one meaning, mapped to one form. */
export const SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['big', 'large'], ['quickly', 'fast'], ['rapidly', 'fast'], ['highest', 'tallest'], ['nearest', 'closest'], ['nearer', 'closer'], ['bigger', 'larger'], ['biggest', 'largest'], ['quick', 'fast'], ['quicker', 'faster'], ['quickest', 'fastest'],
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
  // Plain synonyms: words with one shared meaning in every context a question puts them in. Never a
  // pair that can differ in degree, direction or time (start/stop, big/huge, buy/sell are not here).
  ['begin', 'start'], ['commence', 'start'], ['purchase', 'buy'], ['film', 'movie'], ['pick', 'choose'], ['select', 'choose'],
  ['display', 'show'], ['mistake', 'error'], ['method', 'way'], ['assist', 'help'], ['utilize', 'use'], ['utilise', 'use'],
  ['rapid', 'fast'], ['intelligent', 'smart'], ['automobile', 'car'], ['photo', 'picture'], ['photograph', 'picture'],
  ['couch', 'sofa'], ['vs', 'versus'], ['compose', 'write'], ['okay', 'ok'], ['defrost', 'thaw'], ['veggie', 'vegetable'], ['veggy', 'vegetable'],
  // Agent nouns as the verb they name ("the inventor of" / "who invented"); the past, as they are asked.
  ['inventor', 'invented'], ['founder', 'founded'], ['discoverer', 'discovered'], ['creator', 'created'], ['painter', 'painted'],
  ['composer', 'composed'],
  ['require', 'need'], ['obtain', 'get'], ['sufficient', 'enough'], ['inexpensive', 'cheap'], ['ill', 'sick'], ['physician', 'doctor'],
  ['mom', 'mother'], ['mum', 'mother'], ['dad', 'father'], ['difficult', 'hard'], ['modify', 'change'], ['alter', 'change'],
  ['aid', 'help'], ['wealthy', 'rich'], ['enormous', 'huge'], ['typically', 'usually'], ['generally', 'usually'], ['normally', 'usually'],
  ['frequently', 'often'], ['hint', 'tip'], ['beverage', 'drink'], ['incorrect', 'wrong'], ['finish', 'end'], ['mend', 'fix'], ['persons', 'person'], ['someone', 'person'], ['somebody', 'person'],
  ['medication', 'medicine'], ['meds', 'medicine'], ['diff', 'difference'], ['harmful', 'bad'], ['bike', 'bicycle'], ['fridge', 'refrigerator'], ['tv', 'television'], ['info', 'information'],
  ['tummy', 'stomach'], ['grandma', 'grandmother'], ['grandpa', 'grandfather'], ['teen', 'teenager'], ['xmas', 'christmas'], ['maths', 'mathematics'], ['math', 'mathematics'],
  ['tyre', 'tire'], ['aluminium', 'aluminum'], ['grey', 'gray'], ['mould', 'mold'], ['programme', 'program'], ['jewellery', 'jewelry'], ['pyjamas', 'pajamas'],
  ['doughnut', 'donut'], ['catalogue', 'catalog'], ['travelling', 'traveling'], ['cancelled', 'canceled'], ['aeroplane', 'airplane'], ['benefit', 'advantage'],
  ['如何', '怎么'], ['怎样', '怎么'], ['咋', '怎么'], ['为啥', '为什么'], ['啥', '什么'], ['哪儿', '哪里'],
  ['能', '可以'], ['能够', '可以'], ['几', '多少'], ['之前', '前'], ['之后', '后'], ['以前', '前'], ['以后', '后'],
  ['为何', '为什么'], ['能否', '可以'], ['与', '和'], ['跟', '和'], ['及', '和'], ['以及', '和'], ['可否', '可以'], ['何时', '什么时候'], ['几时', '什么时候'], ['多长时间', '多久'], ['购买', '买'], ['影片', '电影'],
  ['小孩', '儿童'], ['包含', '含有'], ['含', '含有'], ['需要', '要'], ['应该', '该'], ['应当', '该'], ['方法', '办法'], ['方式', '办法'],
  ['差别', '区别'], ['使用', '用'], ['选择', '选'], ['挑选', '选'], ['创建', '新建'], ['建立', '新建'], ['制作', '做'],
  ['迅速', '快速'], ['提升', '提高'], ['修理', '修'], ['去掉', '去除'], ['除去', '去除'], ['大约', '大概'], ['目前', '现在'], ['当前', '现在'], ['如今', '现在'], ['今日', '今天'], ['明日', '明天'], ['昨日', '昨天'],
  ['计算机', '电脑'], ['相片', '照片'], ['书籍', '书'], ['图书', '书'], ['大夫', '医生'], ['患者', '病人'], ['母亲', '妈妈'], ['父亲', '爸爸'],
  ['教师', '老师'], ['瘦身', '减肥'], ['减重', '减肥'], ['防止', '预防'], ['饮用', '喝'], ['食用', '吃'], ['优点', '好处'], ['益处', '好处'],
  ['缺点', '坏处'], ['害处', '坏处'], ['危害', '坏处'], ['狗狗', '狗'], ['猫咪', '猫'], ['猫猫', '猫'], ['怎么样', '怎么'], ['为了什么', '为什么'], ['孩子', '儿童'], ['小朋友', '儿童'], ['开启', '打开'], ['关掉', '关闭'], ['关上', '关闭'], ['学习', '学'],
  ['疼', '痛'], ['宝宝', '婴儿'], ['降低', '减少'], ['减轻', '减少'], ['增强', '加强'],
  ['初学者', '新手'], ['马铃薯', '土豆'], ['西红柿', '番茄'], ['入睡', '睡着'],
  ['没有', '没'], ['发热', '发烧'], ['价钱', '价格'], ['卫生间', '厕所'], ['洗手间', '厕所'], ['公分', '厘米'], ['开心', '高兴'], ['常常', '经常'],
  ['电冰箱', '冰箱'], ['单车', '自行车'], ['脚踏车', '自行车'], ['老婆', '妻子'], ['老公', '丈夫'], ['治疗', '治'], ['不够用', '不足'], ['不够', '不足'], ['截屏', '截图'], ['春季', '春天'], ['夏季', '夏天'], ['秋季', '秋天'], ['冬季', '冬天'], ['苹果手机', 'iphone'], ['安卓手机', 'android'], ['安卓', 'android'], ['立刻', '马上'], ['立即', '马上'],
  ['千克', '公斤'], ['英文', '英语'], ['中文', '汉语'], ['日文', '日语'], ['法文', '法语'], ['德文', '德语'], ['韩文', '韩语'], ['西班牙文', '西班牙语'], ['俄文', '俄语'], ['星期', '周'], ['礼拜', '周'], ['哪些', '什么'], ['哪个', '什么'], ['哪', '什么'],
]);

/** Question words: they may sit anywhere in the sentence ("why is the sky blue" / "天空为什么是蓝色的"). */
export const FREE_ORDER = new Set([
  'what', 'how', 'why', 'who', 'when', 'where', 'whom', 'whose',
  '什么', '怎么', '为什么', '哪里', '多少', '谁', '什么时候',
]);

/** Adverbs of manner that may sit anywhere ("briefly explain" / "explain briefly"); "only" is not one. */
export const MOVABLE_WORDS = new Set(['usually', 'politely', 'gently', 'cheaply', 'quietly', 'respectfully', 'professionally', 'briefly', 'fast', 'easily', 'safely', 'now', 'simply', 'exactly', 'precisely', 'clearly', 'concisely', 'roughly', 'approximately', '简单', '简要', '简单地']);

/** Movable adverbs of frequency: they stay put in a prompt with a negation or a quantifier, whose scope
 * they would change ("usually not" is not "not usually"). */
export const FREQUENCY_WORDS = new Set(['usually']);

/** Prepositions that lead a phrase which may move to the front ("In Python, how do I ..."). */
export const MOVABLE_AFTER = new Set(['in', 'on', 'for', 'at', 'with', 'using', 'within', 'inside', '在',
  // Adverbial clauses: "if I miss my flight, will ..." / "will ... if I miss my flight".
  'if', 'unless', 'because', 'although', 'though', 'whenever', 'while', 'before', 'after',
  // A day moved to the front: "today, what time is sunset".
  'today', 'tomorrow', 'yesterday', 'tonight', 'during', 'throughout']);

/** Irregular plurals and third persons, read before the regular rules (which would make "does" "doe"). */
export const IRREGULAR: ReadonlyMap<string, string> = new Map([
  ['does', 'do'], ['has', 'have'], ['goes', 'go'], ['children', 'child'], ['men', 'man'], ['women', 'woman'], ['feet', 'foot'],
  ['teeth', 'tooth'], ['mice', 'mouse'], ['geese', 'goose'], ['kids', 'child'],
  // -ves plurals that are no verb form ("leaves" and "lives" are, and stay as the rules make them).
  ['knives', 'knife'], ['wolves', 'wolf'], ['shelves', 'shelf'], ['thieves', 'thief'], ['wives', 'wife'], ['loaves', 'loaf'], ['calves', 'calf'],
  ['elves', 'elf'], ['scarves', 'scarf'], ['hooves', 'hoof'],
  // Ends in s without being a plural: kept as it is.
  ['news', 'news'], ['versus', 'versus'], ['always', 'always'], ['perhaps', 'perhaps'], ['series', 'series'], ['species', 'species'], ['this', 'this'],
  ['thus', 'thus'], ['lens', 'lens'], ['gas', 'gas'], ['plus', 'plus'], ['minus', 'minus'], ['yes', 'yes'], ['bus', 'bus'],
  ['physics', 'physics'], ['mathematics', 'mathematics'], ['economics', 'economics'], ['politics', 'politics'],
]);

/** Words that join two arguments in either order ("TCP and UDP" / "UDP and TCP"), unless a number or
 * an asymmetric relation (ratio, minus, 比) is in the sentence. */
export const CONJUNCTIONS = new Set(['and', 'or', '和', '与', '跟', '或', '或者', '及', '以及', '还是']);
export const ASYMMETRIC = new Set([
  'ratio', 'proportion', 'minus', 'subtract', 'divide', 'divided', 'than', 'from', 'versus', 'vs', 'sort', 'order', 'rank', 'then',
  'first', 'before', 'after', 'followed', '比', '减', '除', '从', '先', '后', '再', '排',
]);

/** Auxiliaries a "not" may follow ("why isn't my Wi-Fi working") or come after the subject of. */
export const AUXILIARIES = new Set(['is', 'are', 'am', 'was', 'were', 'do', 'did', 'can', 'could', 'will', 'would', 'should', 'have', 'had', 'must', 'may', 'might']);

/** Words whose scope a moving "not" must not cross ("all ... not" is not "not all"). */
export const QUANTIFIERS = new Set(['all', 'every', 'each', 'some', 'any', 'many', 'much', 'most', 'both', 'few', 'always', 'ever', 'never', 'only', 'even', 'also', 'too', 'no', 'not', 'none']);

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
export const ZH_MEASURES = /^(?:个|次|片|粒|点|天|年|月|日|号|周|小时|分钟|分|秒|岁|元|块|斤|两|兩|公斤|公里|米|克|毫克|毫升|升|句|本|只|位|名|倍|座|条|张|杯|瓶|层|页|章|种|遍|倍)$/u;

/** Classifiers that only count things (座, 条, 本), never a unit that measures them (米, 克, 块). */
export const ZH_CLASSIFIERS = new Set(['座', '条', '本', '只', '位', '名', '张', '件', '部', '家', '所', '首', '棵', '头', '匹', '辆', '架', '台', '篇', '封', '间', '支', '颗', '枚', '项', '门', '种']);

/** Heads of "H of O" that are no attribute of O: quantities, containers, parts, places, kinds. */
export const NOT_A_NOUN_ADJUNCT = new Set([
  'cup', 'glass', 'bottle', 'box', 'bag', 'can', 'jar', 'piece', 'slice', 'part', 'kind', 'type', 'sort', 'number', 'amount', 'lot',
  'bunch', 'group', 'set', 'pair', 'couple', 'most', 'some', 'all', 'none', 'out', 'because', 'instead', 'front', 'back', 'top',
  'bottom', 'side', 'north', 'south', 'east', 'west', 'left', 'right', 'inside', 'outside', 'middle', 'end', 'beginning', 'made',
  'full', 'half', 'quarter', 'third', 'first', 'last', 'rest', 'each', 'any', 'one', 'many', 'much', 'few', 'plenty', 'lack', 'list',
  'ahead', 'afraid', 'fond', 'aware', 'capable', 'free', 'short', 'sign', 'friend', 'member', 'fan',
]);

/** Stands for a possessive 's between tokenising steps; no prompt word looks like it. */
export const POSSESSIVE = 'zqpossessivezq';
