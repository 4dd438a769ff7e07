// Chinese rewrites of whole phrases for the differential check, applied after the English ones
// (rewrites.ts) and in this order: framing that changes how a question is asked, never what it asks, is
// removed (请问, 告诉我, 大家好), and a closed list of constructions is put the way their plainer paraphrase
// says them (能不能 -> 能, X的做法 -> 怎么做X). As in English, each keeps every word that could change the
// answer: a wrong rewrite can only cost a hit while both sides still differ in a content character.

type Replacer = (match: string, ...groups: string[]) => string;

/** Chinese agent nouns and the verb a question about them asks with. */
const ZH_AGENTS: Record<string, string> = { 作者: '写', 发明者: '发明', 发明人: '发明', 创始人: '创立', 创办人: '创办', 发现者: '发现' };

/** The verb each Chinese temperature point names. */
const ZH_POINTS: Record<string, string> = { 沸点: '沸腾', 熔点: '融化', 冰点: '结冰', 燃点: '燃烧' };

/** Chinese framing and constructions, in the order they apply. */
export const ZH_FRAMING: ReadonlyArray<[RegExp, string | Replacer]> = [
  // Chinese A-not-A questions ask what a 吗 question asks: 能不能 / 能…吗, 有没有 / 有…吗, 可不可以 / 可以…吗.
  [/可不可以/gu, '可以'],
  [/(\p{Script=Han})[不没]\1/gu, '$1'],
  // "Cannot V": V不了 / 无法V / 没法V / 不能V.
  [/无法|没法|没办法/gu, '不能'],
  [/(\p{Script=Han})不了/gu, '不能$1'],
  // 里 before 有 only places what follows (苹果里有 / 苹果有); 哪里/这里/那里 keep it.
  [/([^哪这那])里(?=有)/gu, '$1'],
  // An agent noun asks what its verb asks (的作者是谁 / 是谁写的), as in English.
  [/^谁是(.+?)的(作者|发明者|发明人|创始人|创办人|发现者)[？?。]?$/u, '$1的$2是谁'],
  [/的?(作者|发明者|发明人|创始人|创办人|发现者)是谁/gu, (_, noun: string) => `是谁${ZH_AGENTS[noun]}的`],
  [/是谁(\p{Script=Han}{1,2})的(?=[？?。！!]?$)/u, '谁$1了'],
  // 一 between a verb and a classifier is the article "a": 写一封邮件 / 写封邮件 (两封, 三首 stay numbers).
  [/(?<=[写买画拍发做唱讲说送借租点寄编起])一(?=[封首张篇本件杯份幅条段])/gu, ''],
  // 首都是哪个城市 asks 首都是哪里 (only at the end, after 是).
  [/是哪(?:个|座)城市(?=[？?。！!]*$)/u, '是哪里'],
  // "After a meal": 吃完饭 / 吃饭后 / 饭后 (早饭, 午饭, 晚饭 alike; 饭前 stays apart).
  [/吃完(早|午|晚)?饭|吃(早|午|晚)?饭(?:以|之)?后/gu, (_, a: string | undefined, b: string | undefined) => `${a ?? b ?? ''}饭后`],
  // A resultative 掉 ("off", "away") after a verb of removing adds nothing: 洗掉墨水 / 洗墨水, 删掉 / 删.
  [/([洗擦删扔卖忘戒剪拔撕刮甩抹])掉/gu, '$1'],
  // 转换成, 转化为, 转为 all say 转成 ("convert to").
  [/转换成|转化成|转换为|转化为|转为/gu, '转成'],
  // A Chinese tough construction: 日语难学吗 / 学日语难吗 (容易, 简单 alike; never 好, since 学日语好吗 asks
  // whether learning it is good).
  [/^(学习|学|做|养|种|考|读|写|练)(\p{Script=Han}{1,6}?)(难|容易|简单)(?=吗|么|嘛|[？?。！!]|$)/u, '$2$3$1'],
  // "The boiling point of X" is "at how many degrees will X boil": X的沸点是多少度 / X多少度会沸腾 (冰点, 熔点, 燃点 alike).
  [/^(.+?)的?(沸点|熔点|冰点|燃点)(?:是|有)?(?:多少度|几度|多少)/u, (_, thing: string, point: string) => `${thing}多少度会${ZH_POINTS[point]}`],
  // Only with 会 ("will"): 能 is a meaningless word of the check (能 / 可以), so 多少度能沸腾 keeps apart.
  [/^(.+?)(?:在)?(?:多少|几)度(?:时|的时候)?(?:就会|才会|会)(沸腾|融化|熔化|结冰|燃烧)/u, (_, thing: string, verb: string) => `${thing}多少度会${verb === '熔化' ? '融化' : verb}`],
  // A request to "you" before a task verb is the task ("你能帮我写一首诗吗" / "写一首诗").
  [/^你(?:能|可以|能否|可否)?(?:帮我|帮忙|替我)?(?=写|翻译|解释|介绍|推荐|总结|列出|列举|计算|说明|讲讲|说说|生成|检查|修改|画)/u, ''],
  // 以X为食 is "eats X"; 用X怎么V ("how to V with X") is X怎么V when X is the tool the question is about.
  [/以(.+?)为食/gu, '吃$1'],
  [/^用([\p{Script=Latin}\d+#.\s]+|\p{Script=Han}{1,4})(?=怎么|如何|怎样)/u, '$1'],
  [/^(怎么|如何|怎样)用([\p{Script=Latin}\d+#.]+)\s*(?=\p{Script=Han})/u, '$2$1'],
  [/^(?:你好|您好|嗨|哈喽|哈啰|打扰一下|打扰了|不好意思|抱歉|劳驾)[，,！!。\s]*/u, ''],
  [/^(?:谢谢你?|多谢|先谢了|提前谢谢)[，,！!。\s]*|[，,。！!\s]*(?:谢谢你?|多谢|先谢了)[！!。]*$/gu, ''],
  [/^(?:给我|跟我|和我|帮我)?(简单|简要|简单地)?(?:讲讲|说说|聊聊|谈谈|讲一讲|说一说|讲一下|说一下|谈一谈)/u, '$1'],
  // Chinese: asking anyone ("有人知道…吗", "谁能告诉我"), curiosity ("我很好奇"), "I'd like to know", asking leave
  // to ask ("能问一下", "求问"): framing before the question, as in English.
  [/^(?:(?:大家好|各位好)[，,！!：:\s]*|(?:各位大神|各位|大家|大神们?)[，,！!：:]+\s*|(?:小白|新手)(?=求问|求助|请教|问一下))/u, ''],
  [/^(?:急+|急求|求助)[！!，,：:\s]+|(?<=[？?！!。])\s*(?:在线等|急急急|急求|急)[！!。]*$/gu, ''],
  [/^(?:有人|谁|有没有人|有大神|哪位大神|哪位)(?:能|可以)?(?:知道|告诉我|说说|讲讲|解释一下)[，,：:\s]*/u, ''],
  [/^我?(?:很|真的|一直|有点|有些)?好奇(?:问一下|问问|一下)?[，,：:\s]*/u, ''],
  [/^(?:求问|求助|求解|求教)[，,：:\s]*/u, ''],
  [/^我?(?:很)?想(?:要)?(?:知道|了解)[，,：:\s]*/u, ''],
  [/^(?:能|可以)(?:问|请教)(?:一下|下|问)?[，,：:\s]*/u, ''],
  [/^(?:能|可以)?(?:帮我)?(?:说|讲)(?:一下|下|说|讲)[，,：:\s]*/u, ''],
  [/^(?:请|麻烦)?(?:帮我)?(?:查|搜)(?:一下|下|查|搜)[，,：:\s]*/u, ''],
  [/^我?(?:不|并不)(?:知道|清楚|太清楚|懂|太懂|明白)(?=怎么|如何|怎样|为什么|什么|哪|谁|多少)/u, ''],
  // "What does X do": X是做什么的 / X是干什么的 / X的工作是什么 / X的职责是什么 / X有什么作用.
  [/^(.+?)(?:是(?:做|干)(?:什么|啥|嘛)的|的(?:工作|职责|作用|功能|用途)(?:是什么|有哪些|有什么)|有(?:什么|哪些)(?:作用|功能|用途|用处|用))[？?。！!]*$/u, '$1做什么'],
  // "Good / bad for the body": 对身体好 / 对健康有益 are 健康; 对身体有害 / 有害健康 / 对身体不好 are 有害.
  [/对(?:身体|健康)(?:不好|有害|有坏处|有危害)|(?:有害|危害|损害)健康|伤身体/gu, '有害'],
  [/对(?:身体|健康)(?:好|有好处|有益|有益处)/gu, '健康'],
  [/对(?:身体|健康)(?=有(?:什么|哪些)(?:坏处|危害|害处|好处|益处))/gu, ''],
  // 生活在 ("lives in") is 住在.
  // "How to solve X" asked of a situation at the end is "what to do": 没声音了怎么解决 / 没有声音怎么办.
  [/(?:怎么|如何|怎样)解决(?=[？?。！!]*$)/u, '怎么办'],
  [/老是/gu, '总是'],
  // A request for recommendations names what it wants: 推荐几部好看的电影 / 有什么好看的电影推荐 / 有哪些好看的电影.
  [/^(?:能|可以|麻烦|请|给我|帮我|你)*推荐(?:一下)?(?:几|一些|些)?(?:部|本|个|款|首|家|种|只|位|条|套|道)?(.+?)(?:吧|呗|吗)?[？?。！!]*$/u, '什么$1'],
  [/^有?(?:什么|哪些)(.+?)(?:可以|值得)?推荐(?:一下)?(?:吗|呢)?[？?。！!]*$/u, '什么$1'],
  // 属于 ("belongs to") asks what 是 asks: 西瓜属于水果吗 / 西瓜是水果吗.
  [/属于/gu, '是'],
  // 谁V的X ("who invented the telephone") is 谁V了X.
  [/^谁(\p{Script=Han}{1,2})的(?=\p{Script=Han})/u, '谁$1了'],
  // 怎么会 ("how come") asks 为什么; 价格是多少 asks 多少钱; 什么地方 asks 哪里; 啥时候 is 什么时候.
  [/怎么会/gu, '为什么会'],
  [/的?(?:价格|价钱|售价)(?:是|大概是|大约是)?多少(?:钱)?/gu, '多少钱'],
  [/什么地方/gu, '哪里'], [/啥时候/gu, '什么时候'],
  // 教我X ("teach me to X") asks 怎么X; 怎么V才好 is 怎么V好; 什么原因导致X / X是怎么回事 ask 为什么X; 是什么东西 is 是什么.
  [/^(?:请|你)?(?:能|可以)?教(?:教)?我(?:一下)?(?:怎么|如何|怎样)?(?=\p{Script=Han})/u, '怎么'],
  [/(怎么|如何|怎样)(\p{Script=Han}{1,8}?)才(?=好|能|可以|对|行)/gu, '$1$2'],
  // 多久才熟 / 多久熟: after a question of how long, 才 ("only then") adds nothing.
  [/(多久|多长时间|多少分钟|几分钟|多少天|几天|多少小时|几个小时)才(?:能|可以)?/gu, '$1'],
  [/^(?:是)?什么原因(?:导致|造成|引起|让)了?(.+?)[？?。！!]*$/u, '为什么$1'],
  [/^(.+?)(?:是)?怎么回事(?:啊|呢|呀)?[？?。！!]*$/u, '为什么$1'],
  [/是什么东西/gu, '是什么'],
  [/长胖|发胖|(?<=会)胖(?!子)/gu, '变胖'],
  [/生活在/gu, '住在'],
  // "The best way to X" is "how to X", as in English: X最好的方法是什么 / 有什么办法可以X.
  [/^(.+?)(?:最好|最佳|好)的(?:方法|办法|方式)(?:是什么|有哪些|有什么)?[？?。！!]*$/u, '怎么$1'],
  [/^有?(?:什么|哪些)(?:好)?(?:方法|办法)(?:可以|能)?(.+?)[？?。！!]*$/u, '怎么$1'],
  [/你?(?:能|可以|能不能)告诉我|我想了解|想了解|是否/gu, ''],
  // "How should I" asks "how": 我该怎么 / 该怎么 / 怎么, as "how should I" is "how do I" in English.
  [/^我?(?:该|应该|应当|要|需要)(?=怎么|如何|怎样)/u, ''], [/(?<![不别])(?:该|应该|应当|要|需要)(?=怎么|如何|怎样)/gu, ''], [/(?:该|应该|应当)(?=怎么办)/gu, ''],
  // Chinese framing: polite openers, "tell me", "I want to know", "a bit", emphasis.
  [/您/gu, '你'],
  [/(?:的)?意思是什么|是什么意思|什么意思/gu, '是什么'],
  [/的话/gu, ''],
  [/世界上/gu, '世界'], [/(怎么|如何|怎样|咋)才能/gu, '$1'], [/点钟/gu, '点'],
  [/的?(长度|高度|重量|宽度|深度)(?:是|有)?多少/gu, (_, noun: string) => `有多${noun[0]}`],
  [/(\p{Script=Han}{2})不\1/gu, '$1'],
  // "May I ask" opens a question (麻烦问一下, 问一下, 想问下) and asks nothing itself.
  [/^(?:麻烦|请|我想|想|随便)?(?:问|请教)(?:一下|下|问)?(?:大家|各位)?[，,：:\s]*/u, ''],
  [/^(?:救命|天哪|天啊|求助)[！!，,。\s]+/u, ''],
  [/的时候/gu, '时'],
  // A condition that opens the question, said with 了 or with 时, before what may or should be done:
  // 发烧了能喝牛奶吗 / 发烧时能喝牛奶吗 (前, 后 and the rest stay words of their own).
  [/^(\p{Script=Han}{1,6}?)了[，,]?(?=(?:能|可以|该|应该|要|需要|不能|不可以)\p{Script=Han})/u, '$1时'],
  // A question of how long says 要 or not: 煮鸡蛋要多久 / 鸡蛋煮多久. 要 is put in where it is missing, never
  // after 能 or 可以 (meaningless words of the check), so 能多久 ("how long can") keeps apart.
  [/(?<!要|需要|能|可以|能够)(多久|多长时间|多少时间|几分钟|多少分钟|几个小时|多少小时)/gu, '要$1'],
  // A day or time of day after a short topic at the start is said as well before it: 北京今天天气怎么样 /
  // 今天北京天气怎么样. Moved to the front, so both orders read alike; the word itself is kept.
  [/^(\p{Script=Han}{2,4}?)(今天|明天|昨天|后天|今晚|明晚|今早|明早|今年|明年|去年|这周|下周|周末)(?!\p{Script=Han}*(?:今天|明天|昨天|后天|今晚|明晚|今早|明早|今年|明年|去年|这周|下周|周末))/u, '$2$1'],
  // 在X里怎么V ("how do I V in X") is X怎么V, as 用X怎么V is.
  [/^在(\p{Script=Han}{2,8}?)(?:里|中|上)(?=怎么|如何|怎样)/u, '$1'],
  [/^([\p{Script=Latin}\d+#.\s]+)(?:里|中|上)(?=怎么|如何|怎样)/u, '$1'],
  [/^在([\p{Script=Latin}\d+#.\s]+)(?:里|中|上)?(?=怎么|如何|怎样)/u, '$1'],
  [/^(怎么|如何|怎样)在(\p{Script=Han}{2,8}?)(?:里|中|上)(?=\p{Script=Han})/u, '$2$1'],
  [/^(怎么|如何|怎样)在([\p{Script=Latin}\d+#.]+)\s*(?:里|中|上)?(?=\p{Script=Han})/u, '$2$1'],
  // 为什么会X / X是什么原因 / X的原因是什么 ask why X happens; 会 there says nothing of the future.
  [/(为什么\p{Script=Han}{0,8}?)(?<![社机学开约聚体理都不只])会(?![不议员计话场所儿])/gu, '$1'],
  [/^(?:造成|导致|引起)?(.+?)(?:的原因是什么|是什么原因(?:造成的|导致的|引起的)?|的原因有哪些|的原因)[？?。！!]*$/u, '为什么$1'],
  // X了怎么办: in a question of what to do, 了 marks the situation, not a time (发烧了怎么办 / 发烧怎么办).
  [/了(?=[，,]?(?:该|应该|应当)?(?:怎么|如何|怎样))/gu, ''],
  // 该V什么 ("what should I wear") asks V什么好 ("what is good to wear").
  [/(?:该|应该|应当)(\p{Script=Han}{1,2}?)什么(?=[？?。！!]*$)/u, '$1什么好'],
  // X的做法 is "how to make X".
  [/^(.+?)的?(?:做法|制作方法|烹饪方法)(?:是什么|有哪些)?[？?。！!]*$/u, '怎么做$1'],
  // "Ways to X" is "how to X", as in English: 学好英语的方法 / 学好英语有什么方法 / 怎么学好英语.
  [/^(.+?)(?:的(?:方法|办法|方式|技巧|窍门|诀窍|步骤|流程)(?:有哪些|有什么|是什么)?|有(?:什么|哪些)(?:好的?)?(?:方法|办法|技巧|窍门|诀窍))[？?。！!]*$/u, '怎么$1'],
  [/请问|请|麻烦你|麻烦|能告诉我|告诉我|我想知道|我想问|想问|你知道|帮我|给我|一下|到底|一共/gu, ''],
  [/哪一/gu, '哪'],
  // Distance: A到B的距离是多少 / A离B有多远 / A距离B多远 (A and B keep their places).
  [/^从?(.+?)(?:到|距离|距|离)(.+?)(?:的距离(?:是|有)?多少|(?:有)?多远|的距离(?=[？?。！!]*$))/u, '$1离$2有多远'],
  // "How do you say X in L" in Chinese: X用L怎么说 / X的L是什么 / 把X翻译成L.
  [/^(?:把)?(.+?)(?:用|的)(\p{Script=Han}{1,4}?[语文])(?:怎么说|怎么讲|怎么表达|是什么|怎么写)[？?。]?$/u, '$1翻译成$2'],
  [/^把(.+?)(?:翻译成|译成|翻成)(\p{Script=Han}{1,4}?[语文])/u, '$1翻译成$2'],
  // "What Y does X have" is "X's Y", as in English: 番茄有什么区别 / 番茄的区别, 感冒的症状有哪些 / 感冒有什么症状.
  // A superlative asked by its noun: 离地球最近的恒星是哪颗 / 哪颗恒星离地球最近.
  [/^(.*最\p{Script=Han}{1,2})的(\p{Script=Han}{1,4}?)是(哪|什么)(\p{Script=Han}?)[？?。！!]*$/u, '$3$4$2$1'],
  [/^(.+?)有(?:什么|哪些)(\p{Script=Han}{2,3})[？?。！!]*$|^(.+?)的(\p{Script=Han}{2,3})(?:有哪些|有什么|是什么)[？?。！!]*$/u, (_, a: string | undefined, b: string | undefined, c: string | undefined, d: string | undefined) => `${a ?? c}的${b ?? d}`],
  // "What is X" asked of a whole prompt is the topic itself, as in English ("explain X", "what is X"): 什么是X / X是什么 / 解释X.
  [/^(?:可以|能|能否)?(?:解释|介绍|说明)?(?:一下)?什么是(.+?)吗?[？?。！!]*$|^(.+?)是(?:什么|哪个|啥)[？?。！!]*$/u, (_, a: string | undefined, b: string | undefined) => a ?? b ?? ''],
];
