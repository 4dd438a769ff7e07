// The differential check: what two prompts do not share decides whether one's answer may serve the other.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTexts, contentSignature } from '#core/cache/differential.ts';
import { ASYMMETRIC, FREE_ORDER, HARMLESS, NUMBER_WORDS, QUANTIFIERS } from '#core/cache/lexicon.ts';
import { chineseNumber, promptTokens } from '#core/cache/prompt-tokens.ts';
import { WORDNET_SYNONYMS } from '#core/cache/wordnet-lexicon.ts';

const same = (a: string, b: string) => compareTexts(a, b).same;

/** Property: replacing or adding one unknown English word anywhere in any of `prompts` never matches the original. */
function expectUnknownWordNeverMatches(prompts: readonly string[]): void {
  fc.assert(fc.property(fc.constantFrom(...prompts), fc.stringMatching(/^[bcdfgjkpqvwxz]{5,9}$/), fc.nat(), fc.boolean(), (prompt, unknown, at, replace) => {
    const words = prompt.split(' ');
    const i = at % words.length;
    const changed = [...words.slice(0, i), unknown, ...words.slice(replace ? i + 1 : i)].join(' ');
    expect(same(prompt, changed)).toBe(false);
  }));
}

/** Property: replacing or adding one unrelated Chinese character (not at the very end) never matches the original. */
function expectUnknownCharacterNeverMatches(prompts: readonly string[]): void {
  fc.assert(fc.property(fc.constantFrom(...prompts), fc.constantFrom('猴', '鲸', '砖', '锅', '蚊', '橙'), fc.nat(), fc.boolean(), (prompt, unknown, at, replace) => {
    const chars = [...prompt];
    const i = at % (chars.length - 1);
    const changed = [...chars.slice(0, i), unknown, ...chars.slice(replace ? i + 1 : i)].join('');
    expect(same(prompt, changed)).toBe(false);
  }));
}

describe('numbers', () => {
  it('reads digits, English number words and Chinese numerals as values', () => {
    const numbers = (text: string) => promptTokens(text).filter((t) => t.form.startsWith('#')).map((t) => t.form);
    expect(numbers('three hundred and five, twenty one, a dozen, 1,000 and 2.5')).toEqual(['#305', '#21', '#12', '#1000', '#2.5']);
    expect([chineseNumber('三'), chineseNumber('十五'), chineseNumber('两百零三'), chineseNumber('一万二千')]).toEqual([3, 15, 203, 12_000]);
    expect(numbers('北京早上八点，两百零三个，3个')).toEqual(['#8', '#203', '#3']);
  });

  it('never matches two prompts that differ in one number, however it is written', () => {
    const templates = ['How many days are in {} weeks?', 'Is it safe to take {} tablets of paracetamol?', '{}个星期有多少天？', 'What is {} times 7?'];
    const words = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    const zh = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.constantFrom(...templates), fc.integer({ min: 0, max: 2 }), (x, y, template, style) => {
      fc.pre(x !== y);
      const write = (n: number) => (style === 0 ? String(n) : style === 1 ? words[n - 1]! : zh[n - 1]!);
      expect(same(template.replace('{}', write(x)), template.replace('{}', write(y)))).toBe(false);
      expect(same(template.replace('{}', write(x)), template.replace('{}', String(x)))).toBe(true);
    }));
  });
});

describe('compareTexts', () => {
  it('matches rewordings that only change framing, politeness, contractions, case or a moved phrase', () => {
    expect(same('What is the capital of France?', "what's the capital of france")).toBe(true);
    expect(same('What is the capital of Australia?', 'Can you tell me the capital of Australia?')).toBe(true);
    expect(same('How do I reverse a list in Python?', 'How to reverse a list in Python')).toBe(true);
    expect(same('How do I read a file line by line in Python?', 'In Python, how do I read a file line by line?')).toBe(true);
    expect(same('中国的首都是哪里？', '请问中国的首都是哪里？')).toBe(true);
    expect(same('怎么煮鸡蛋？', '鸡蛋怎么煮？')).toBe(true);
  });

  it('refuses a change of direction, order of arguments, negation, antonym, unit, time, tense, quantifier or entity', () => {
    const nearMisses: Array<[string, string]> = [
      ['Convert 100 Fahrenheit to Celsius.', 'Convert 100 Celsius to Fahrenheit.'],
      ['Subtract 15 from 40.', 'Subtract 40 from 15.'],
      ['Is a kilogram heavier than a pound?', 'Is a pound heavier than a kilogram?'],
      ['Which countries use the euro?', "Which countries don't use the euro?"],
      ['How do I enable dark mode?', 'How do I disable dark mode?'],
      ['Convert 5 kilometers to meters.', 'Convert 5 miles to meters.'],
      ['Set an alarm for 7 in the morning.', 'Set an alarm for 7 in the evening.'],
      ['Who is the president of France?', 'Who was the president of France?'],
      ['Do all birds fly?', 'Do some birds fly?'],
      ['What is the population of Canada?', 'What is the population of Chile?'],
      ['Translate "thank you" into Spanish.', 'Translate "thank you" into Italian.'],
      ['(2+3)*4', '2+(3*4)'],
      ['What is 9 / 3?', 'What is 9 - 3?'],
      ['把100华氏度转换成摄氏度。', '把100摄氏度转换成华氏度。'],
      ['孕妇可以喝咖啡吗？', '孕妇不可以喝咖啡吗？'],
      ['他们都来了吗？', '他们来了吗？'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('matches synonyms, inflections, function words, possessives, swapped conjuncts and a moved negation', () => {
    const paraphrases: Array<[string, string]> = [
      ['Where can I buy a cheap laptop?', 'Where can I purchase a cheap laptop?'],
      ['Which planets have rings?', 'Which planet has rings?'],
      ['How does a vaccine work?', 'How do vaccines work?'],
      ['Write a function that sorts a list.', 'Write a function to sort a list.'],
      ['What is the population of Tokyo?', "What is Tokyo's population?"],
      ['What are the symptoms of the flu?', 'What are flu symptoms?'],
      ['What is the difference between TCP and UDP?', 'What is the difference between UDP and TCP?'],
      ["Why isn't my Wi-Fi working?", 'Why is my Wi-Fi not working?'],
      ['What year did World War II end?', 'When did World War II end?'],
      ['What is twenty-five percent of 80?', 'What is 25% of 80?'],
      ['Who was the 1st president of the United States?', 'Who was the first president of the United States?'],
      ['What is the height of the Burj Khalifa?', 'How tall is the Burj Khalifa?'],
      ['Convert 10 pounds to kilograms.', 'How many kilograms is 10 pounds?'],
      ['Is $5 a lot for coffee?', 'Is 5 dollars a lot for coffee?'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('matches Chinese rewordings however the segmenter cut them: A-not-A questions, particles, 都 in a wh-question', () => {
    const paraphrases: Array<[string, string]> = [
      ['猫能不能吃巧克力？', '猫能吃巧克力吗？'],
      ['月球上有没有水？', '月球上有水吗？'],
      ['为啥天空是蓝的？', '为什么天空是蓝的？'],
      ['中国有多少个省？', '中国有多少省？'],
      ['李白都写过哪些诗？', '李白写过哪些诗？'],
      ['Python和Java有什么区别？', 'Java和Python有什么区别？'],
      ['“内卷”是什么意思？', '什么是“内卷”？'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps the generalisations strict where the order or a word is the question', () => {
    const nearMisses: Array<[string, string]> = [
      ['How do I start a car?', 'How do I stop a car?'],
      ['Where can I buy a used car?', 'Where can I sell a used car?'],
      ['What is the ratio of boys and girls?', 'What is the ratio of girls and boys?'],
      ['Sort the table by name and age.', 'Sort the table by age and name.'],
      ['What is made of wood?', 'What is wood made of?'],
      ['How much is a cup of coffee?', 'How much is a coffee cup?'],
      ['What is the history of art?', 'What is the art of history?'],
      ['What year did the Berlin Wall fall?', 'What month did the Berlin Wall fall?'],
      ['Do all birds not fly?', 'Do not all birds fly?'],
      ['How many kilograms is 10 pounds?', 'How many pounds is 10 kilograms?'],
      ['Who invented the telephone?', 'Who invents the telephone?'],
      ['What is the largest ocean?', 'What is the largest sea?'],
      ['猫能不能吃巧克力？', '猫不能吃巧克力吗？'],
      ['他们都去过北京吗？', '他们去过北京吗？'],
      ['从北京到上海怎么走？', '从上海到北京怎么走？'],
      ['大象比河马重吗？', '河马比大象重吗？'],
      ['成都有哪些好吃的？', '京都有哪些好吃的？'],
      ['一斤等于多少克？', '一公斤等于多少克？'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word as meaning: replacing or adding one never matches', () => {
    const prompts = ['How do I install Node.js on Ubuntu?', 'What is the capital of France?', 'Which planets have rings?', 'Why is the sky blue?', 'What is the difference between TCP and UDP?'];
    expectUnknownWordNeverMatches(prompts);
  });

  it('never matches prompts made only of meaningless words', () => {
    expect(compareTexts('Hello!', 'Thanks!')).toMatchObject({ same: false, reason: 'empty' });
  });
});

describe('question frames, clause order, morphology and synonyms (second generalisation)', () => {
  it('matches frames that ask the same thing: way to, passives, able to, tough movement, topic first, conditions, advice', () => {
    const paraphrases: Array<[string, string]> = [
      ["What's the best way of learning Spanish?", 'How do I learn Spanish?'],
      ['The Mona Lisa was painted by whom?', 'Who painted the Mona Lisa?'],
      ['By whom was the light bulb invented?', 'Who invented the light bulb?'],
      ['Are cats able to see in the dark?', 'Can cats see in the dark?'],
      ['Are raw eggs safe to eat?', 'Is it safe to eat raw eggs?'],
      ['Writing a cover letter: any tips?', 'Tips for writing a cover letter?'],
      ["I can't log in to my account, what should I do?", 'What should I do if I cannot log into my account?'],
      ['If I miss my flight, will the airline refund me?', 'Will the airline refund me if I miss my flight?'],
      ['What advice do you have for a first-time home buyer?', 'Any advice for a first-time home buyer?'],
      ['Where is the Eiffel Tower located?', "Where's the Eiffel Tower?"],
      ['Which mountain is the highest in the world?', 'What is the tallest mountain in the world?'],
      ['What is the population of Brazil right now?', 'What is the population of Brazil currently?'],
      ['Could you please recommend some books about stoicism?', 'Recommend books on stoicism.'],
      ['Tell me the distance between Earth and Mars.', 'How far is Mars from Earth?'],
      ["I'd appreciate it if you could explain quantum entanglement.", 'Explain quantum entanglement.'],
      ['What is the most intelligent dog breed?', 'What is the smartest dog breed?'],
      ['What is good night in Italian?', 'Translate good night to Italian.'],
      ['What is the current population of Brazil?', 'What is the population of Brazil now?'],
      ['Would you kindly tell me how to boil pasta?', 'How do I boil pasta?'],
      ['Thanks in advance! How do I clear my browser cache?', 'How do I clear my browser cache?'],
      ['Today, what time is sunset in Paris?', 'What time is sunset in Paris today?'],
      ['What side effects does ibuprofen have?', 'What are the side effects of ibuprofen?'],
      ['By whom was the Bible translated into German?', 'Who translated the Bible into German?'],
      ['Is there a way to recover deleted files on Windows?', 'How do I recover deleted files on Windows?'],
      ['What should I do to stop snoring?', 'How do I stop snoring?'],
      ['I need a recipe for banana bread.', 'Give me a recipe for banana bread.'],
      ['Tell me how many continents there are.', 'How many continents are there?'],
      ['How much water should I drink every day?', 'How much water should I drink daily?'],
      ['Hello, I have a question: what causes thunder?', 'What causes thunder?'],
      ['Sorry to bother you, but how do I reset my router?', 'How do I reset my router?'],
      ["So, what's the best way to cook quinoa?", 'How do I cook quinoa?'],
      ['What is the tallest building in the whole world?', 'What is the tallest building in the world?'],
      ["Who's the wealthiest person in the world?", 'Who is the richest person in the world?'],
      ["Excuse me, where can I find the Louvre's opening hours?", "Where can I find the Louvre's opening hours?"],
      ['During a thunderstorm, is it safe to shower?', 'Is it safe to shower during a thunderstorm?'],
      ["What's the procedure for renewing a US passport?", 'How do I renew a US passport?'],
      ['How do I sharpen knives?', 'How do I sharpen a knife?'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('reads a gerund with an object as its verb, and a WordNet synonym as its synset', () => {
    const paraphrases: Array<[string, string]> = [
      ['Tips for writing a cover letter', 'Tips to write a cover letter'],
      ['Ways of making bread at home', 'How to make bread at home'],
      ['Tips for computing the mean of a column', 'Tips to compute the mean of a column'],
      ['What happens when you swallow gum?', 'What occurs when you swallow gum?'],
      ['Is an attorney needed to write a will?', 'Is a lawyer required to write a will?'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('matches the Chinese counterparts: 不了/无法, 里有, agent nouns, translation, distance, 你能 before a task, 该怎么', () => {
    const paraphrases: Array<[string, string]> = [
      ['电脑开不了机怎么办？', '电脑无法开机怎么办？'],
      ['太阳系有几颗行星？', '太阳系里有多少颗行星？'],
      ['《红楼梦》的作者是谁？', '《红楼梦》是谁写的？'],
      ['苹果用英语怎么说？', '苹果的英文是什么？'],
      ['地球到月球的距离是多少？', '地球离月球有多远？'],
      ['你能帮我写一首关于秋天的诗吗？', '写一首关于秋天的诗。'],
      ['我该怎么缓解压力？', '怎么缓解压力？'],
      ['您好，请问怎么办理护照？', '怎么办理护照？'],
      ['谢谢！请问如何清除浏览器缓存？', '如何清除浏览器缓存？'],
      ['请解释一下相对论。', '相对论是什么？'],
      ['什么是通货膨胀？', '通货膨胀是什么？'],
      ['说说番茄和西红柿的区别。', '番茄和西红柿有什么区别？'],
      ['感冒的症状有哪些？', '感冒有什么症状？'],
      ['打扰一下，怎么重置路由器？', '怎么重置路由器？'],
      ['给我讲讲黑洞是什么。', '黑洞是什么？'],
      ['《蒙娜丽莎》是谁画的？', '谁画了《蒙娜丽莎》？'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps every new rule strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ['Are raw eggs safe to eat?', 'Are raw eggs safe to cook?'],
      ['Are raw eggs safe to eat?', 'Are raw eggs dangerous to eat?'],
      ['The Mona Lisa was painted by whom?', 'The Mona Lisa was stolen by whom?'],
      ['The Mona Lisa was painted by whom?', 'Who paints the Mona Lisa?'],
      ['Are cats able to see in the dark?', 'Were cats able to see in the dark?'],
      ["I can't log in to my account, what should I do?", 'I can log in to my account, what should I do?'],
      ['If I eat before bed, will I gain weight?', 'If I eat before bed, will I lose weight?'],
      ['Should I stretch before I run?', 'Should I run before I stretch?'],
      ['What should I eat before a workout?', 'What should I eat after a workout?'],
      ['What are the effects of smoking?', 'What are the effects of smoke?'],
      ['How do I stop smoking cigarettes?', 'How do I stop to smoke cigarettes?'],
      ['Tips for running a business', 'Tips for ruining a business'],
      ['What is the population of Brazil right now?', 'What was the population of Brazil?'],
      ['Which mountain is the highest in the world?', 'Which mountain is the lowest in the world?'],
      ['What is the capital of France currently?', 'What was the capital of France formerly?'],
      ['What is good night in Italian?', 'What is good night in Spanish?'],
      ['What is the current population of Brazil?', 'What was the population of Brazil?'],
      ['What is the most intelligent dog breed?', 'What is the least intelligent dog breed?'],
      ['Which country has the most people?', 'Which country has people?'],
      ['Who was Julius Caesar killed by?', 'Who was killed by Julius Caesar?'],
      ['《蒙娜丽莎》是谁画的？', '《蒙娜丽莎》是谁偷的？'],
      ['What side effects does ibuprofen have?', 'What side effects does aspirin have?'],
      ['By whom was the Bible translated into German?', 'By whom was the Bible translated into French?'],
      ['Is there a way to recover deleted files on Windows?', 'Is there a way to delete recovered files on Windows?'],
      ['Today, what time is sunset in Paris?', 'Tomorrow, what time is sunset in Paris?'],
      ['Should I pay today and ship tomorrow?', 'Should I pay tomorrow and ship today?'],
      ['相对论是什么？', '广义相对论是什么？'],
      ['什么是通货膨胀？', '什么是通货紧缩？'],
      ['How much water should I drink every day?', 'How much water should I drink every week?'],
      ['Can I learn Spanish in a day?', 'Can I learn Spanish daily?'],
      ['Can I eat the whole pizza?', 'Can I eat the pizza?'],
      ["Who's the wealthiest person in the world?", 'Who is the poorest person in the world?'],
      ['Tips for a beginner baker', 'Tips for a starter baker'],
      ['During a thunderstorm, is it safe to shower?', 'After a thunderstorm, is it safe to shower?'],
      ["What's the procedure for renewing a US passport?", "What's the procedure for renewing a UK passport?"],
      ['How many continents are there?', 'How many oceans are there?'],
      ['感冒有什么症状？', '感冒没有什么症状？'],
      ['感冒有什么症状？', '流感有什么症状？'],
      ['给我讲讲黑洞是什么。', '给我讲讲白洞是什么。'],
      ['你好，怎么办理护照？', '你好，怎么办理签证？'],
      ['电脑开不了机怎么办？', '电脑关不了机怎么办？'],
      ['我该怎么缓解压力？', '我该怎么增加压力？'],
      ['苹果里有什么维生素？', '苹果皮里有什么维生素？'],
      ['《红楼梦》的作者是谁？', '《红楼梦》的译者是谁？'],
      ['苹果用英语怎么说？', '苹果用日语怎么说？'],
      ['北京到上海有多远？', '上海到北京的距离是多少公里？'],
      ['北京到上海有多远？', '北京到天津有多远？'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('never merges a word of the closed classes through the WordNet table, and keeps table words meaningful', () => {
    const table = WORDNET_SYNONYMS.split(',').map((pair) => pair.split(' '));
    const closed = new Set([...HARMLESS, ...FREE_ORDER, ...QUANTIFIERS, ...NUMBER_WORDS.keys(), ...ASYMMETRIC]);
    for (const [word, canonical] of table) {
      expect(closed.has(word!) || closed.has(canonical!), `${word} ${canonical}`).toBe(false);
      // A table word replaced by an unrelated word is another question.
      expect(same(`Is ${word} the right word here?`, `Is zebra the right word here?`)).toBe(false);
    }
    expect(table.length).toBeGreaterThan(100);
  });

  it('counts any unknown word as meaning in the new frames too: replacing or adding one never matches', () => {
    const prompts = [
      'Are raw eggs safe to eat?', 'The Mona Lisa was painted by whom?', 'Writing a cover letter: any tips?', "I can't log in to my account, what should I do?",
      "What's the best way of learning Spanish?", 'If I miss my flight, will the airline refund me?', 'Tips for writing a cover letter',
      'What advice do you have for a first-time home buyer?', 'Where is the Eiffel Tower located?', 'Are cats able to see in the dark?',
      'What is the population of Brazil right now?', 'Which mountain is the highest in the world?', 'What is the most intelligent dog breed?',
      'What is good night in Italian?', 'What is the current population of Brazil?', "I'd appreciate it if you could explain quantum entanglement.",
      'What side effects does ibuprofen have?', 'By whom was the Bible translated into German?', 'Is there a way to recover deleted files on Windows?',
      'Today, what time is sunset in Paris?', 'I need a recipe for banana bread.', 'Would you kindly tell me how to boil pasta?',
      'How much water should I drink every day?', 'Hello, I have a question: what causes thunder?', "So, what's the best way to cook quinoa?",
    ];
    expectUnknownWordNeverMatches(prompts);
  });

  it('counts any replaced or added Chinese character as meaning in the new Chinese rules', () => {
    const prompts = ['说说番茄和西红柿的区别。', '感冒有什么症状？', '打扰一下，怎么重置路由器？', '谢谢！请问如何清除浏览器缓存？', '什么是通货膨胀？', '相对论是什么？', '您好，请问怎么办理护照？', '给我讲讲黑洞是什么。', '《蒙娜丽莎》是谁画的？', '电脑开不了机怎么办？', '太阳系里有多少颗行星？', '《红楼梦》的作者是谁？', '苹果用英语怎么说？', '地球到月球的距离是多少？', '你能帮我写一首关于秋天的诗吗？', '我该怎么缓解压力？'];
    expectUnknownCharacterNeverMatches(prompts);
  });
});

describe('round 16 rules: embedded questions, situation first, abbreviations, phrasal verbs, noun adjuncts, 以X为食, 用X', () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ['Do you know how many moons Jupiter has?', 'How many moons does Jupiter have?'],
      ['How long should I boil an egg for a soft yolk?', 'how long to boil an egg for a soft yolk'],
      ['How much rice should I cook per person?', 'how much rice to cook per person'],
      ['need a recipe for lentil soup', 'Can you give me a recipe for lentil soup?'],
      ['I want to learn the violin, where should I start?', 'Where should I start if I want to learn the violin?'],
      ["I'm vegan. What should I eat for protein?", 'What should I eat for protein if I am vegan?'],
      ['What does HTTP stand for?', 'What is HTTP short for?'],
      ['What is the full form of GPS?', 'What does GPS stand for?'],
      ['Best way to get rid of mold in the shower', 'How do I eliminate mold in the shower?'],
      ['Is sugar bad for your teeth?', 'Is sugar harmful to your teeth?'],
      ['How do I turn off notifications on Slack?', 'how to turn off Slack notifications'],
      ['How do I change my password on Gmail?', 'how to change my Gmail password'],
      ['On Linux, how do I make a bootable USB drive?', 'How do I make a bootable USB drive on Linux?'],
      ['考拉吃什么？', '考拉以什么为食？'],
      ['Java怎么读取文件', '用Java如何读取文件？'],
      ['怎么用Python读取CSV文件？', 'Python怎么读取CSV文件？'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ['Do you know how many moons Jupiter has?', 'How many moons does Saturn have?'],
      ['Do you know how many moons Jupiter has?', 'Do you know how many moons Jupiter had?'],
      ['How long should I boil an egg?', 'How long can I boil an egg?'],
      ['How long should I boil an egg?', 'How long should he boil an egg?'],
      ['How many eggs should I eat a day?', 'How many eggs to cook a day?'],
      ['need a recipe for lentil soup', 'need a recipe for lentil salad'],
      ['I want to learn the violin, where should I start?', 'Where should I start if I want to learn the piano?'],
      ["I'm vegan. What should I eat for protein?", 'What should I eat for protein if I am not vegan?'],
      ['I want to learn the violin, where should I start?', "Where should I start if I don't want to learn the violin?"],
      ['What does HTTP stand for?', 'What is HTTPS short for?'],
      ['What does HTTP stand for?', 'What is HTTP used for?'],
      ['How do I get rid of mold in the shower?', 'How did I get rid of mold in the shower?'],
      ['How do I get rid of mold in the shower?', 'How do I get rid of mildew in the shower?'],
      ['Is sugar harmful to your teeth?', 'Is sugar good for your teeth?'],
      ['How do I turn off notifications on Slack?', 'How do I turn off notifications on Teams?'],
      ['How do I turn off notifications on Slack?', 'How do I turn off notifications in Slack channels?'],
      ['How do I turn off notifications on Slack?', 'How do I turn on notifications on Slack?'],
      ['Is there a tax on income?', 'Is there an income on tax?'],
      ['Is there a tax on income?', 'Is there a tax in income?'],
      ['How do I change my password on Gmail?', 'How do I change my Gmail username?'],
      ['On Linux, how do I make a bootable USB drive?', 'On Windows, how do I make a bootable USB drive?'],
      ['考拉以什么为食？', '考拉以什么为家？'],
      ['考拉以什么为食？', '熊猫以什么为食？'],
      ['用Java如何读取文件？', '用Java如何写入文件？'],
      ['用Java如何读取文件？', '用Python如何读取文件？'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('never reads an acronym ending in S as the plural of another (HTTPS is not HTTP)', () => {
    expect(same('What does HTTP stand for?', 'What does HTTPS stand for?')).toBe(false);
    expect(same('what does http stand for', 'what does https stand for')).toBe(false);
    expect(same('How accurate is GPS?', 'How accurate is a GP?')).toBe(false);
    expect(same('Is HTTPS safe?', 'is https safe')).toBe(true);
    expect(same('What are the benefits of cats?', 'What are the benefits of a cat?')).toBe(true);
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = [
      'Do you know how many moons Jupiter has?', 'How long should I boil an egg for a soft yolk?', 'need a recipe for lentil soup',
      'I want to learn the violin, where should I start?', 'What is HTTP short for?', 'What is the full form of GPS?',
      'Best way to get rid of mold in the shower', 'Is sugar harmful to your teeth?', 'How do I turn off notifications on Slack?',
      'On Linux, how do I make a bootable USB drive?', 'How do I change my password on Gmail?',
    ];
    expectUnknownWordNeverMatches(english);
    const chinese = ['考拉以什么为食？', '用Java如何读取文件？', '怎么用Python读取CSV文件？'];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe('round 17 rules: chained openers, how long does it take for X, without using, meaning of the word, 问一下, 在X里', () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ['ok so my laptop keeps overheating, what can I do', 'what can I do if my laptop keeps overheating'],
      ['quick q: how many grams of sugar in a can of coke', 'How many grams of sugar are in a can of Coke?'],
      ['how long does it take for a tattoo to heal', 'How long does a tattoo take to heal?'],
      ['how to unclog a sink without chemicals', 'How do I unclog a sink without using chemicals?'],
      ['meaning of the word petrichor', 'What does petrichor mean?'],
      ['麻烦问一下，北京地铁几点停运？', '北京地铁几点停运？'],
      ['在Excel里怎么合并单元格？', 'Excel怎么合并单元格？'],
      ['怎么在Excel里合并单元格？', 'Excel怎么合并单元格？'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ['ok so my laptop keeps overheating, what can I do', 'ok so my phone keeps overheating, what can I do'],
      ['how long does it take for a tattoo to heal', 'how long did it take for a tattoo to heal'],
      ['how long does it take for a tattoo to heal', 'How long does a piercing take to heal?'],
      ['how long does it take for a tattoo to heal', 'how long does it take for a tattoo to fade'],
      ['how to unclog a sink without chemicals', 'how to unclog a sink using chemicals'],
      ['how to unclog a sink without chemicals', 'how to unclog a sink with chemicals'],
      ['meaning of the word petrichor', 'origin of the word petrichor'],
      ['What is the meaning of life?', 'What is life?'],
      ['麻烦问一下，北京地铁几点停运？', '麻烦问一下，上海地铁几点停运？'],
      ['麻烦问一下，北京地铁几点停运？', '麻烦问一下，北京地铁几点开始运营？'],
      ['在Excel里怎么合并单元格？', '在Excel里怎么拆分单元格？'],
      ['在Excel里怎么合并单元格？', 'Word怎么合并单元格？'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ['ok so my laptop keeps overheating, what can I do', 'how long does it take for a tattoo to heal', 'how to unclog a sink without using chemicals', 'meaning of the word petrichor', 'quick q: how many grams of sugar in a can of coke'];
    expectUnknownWordNeverMatches(english);
    const chinese = ['麻烦问一下，北京地铁几点停运？', '在Excel里怎么合并单元格？', '怎么在Excel里合并单元格？'];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe('round 18 rules: figure out how, what does X cost, where can I, get X out of, 为什么会, 什么原因, 了怎么办, 的做法', () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ['trying to figure out how to split a bill in Venmo', 'How do I split a bill in Venmo?'],
      ['What does it cost to replace a car windshield?', 'How much does it cost to replace a car windshield?'],
      ['Where can I watch the Champions League final?', 'where to watch the champions league final'],
      ['how to get a stain out of a white shirt', 'How do I remove a stain from a white shirt?'],
      ["what's the best time to visit Peru", 'When is the best time to visit Peru?'],
      ['Is it OK to run with a cold?', 'Is it okay to run with a cold?'],
      ['为什么会打嗝？', '打嗝是什么原因？'],
      ['太阳为什么会发光？', '为什么太阳会发光？'],
      ['西瓜吃多了会怎样？', '西瓜吃多了会怎么样？'],
      ['小孩发烧了该怎么办？', '小孩发烧怎么办'],
      ['告诉我怎么做番茄炒蛋', '番茄炒蛋的做法'],
      ['长期熬夜有什么危害？', '长期熬夜有什么坏处？'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ['trying to figure out how to split a bill in Venmo', 'trying to figure out how to split a bill in PayPal'],
      ['Calculate 15% of 80', 'figure out how 15% of 80 works'],
      ['What does it cost to replace a car windshield?', 'How much did it cost to replace a car windshield?'],
      ['What does it cost to replace a car windshield?', 'How long does it take to replace a car windshield?'],
      ['Where can I watch the Champions League final?', 'Where should I watch the Champions League final?'],
      ['Where can I watch the Champions League final?', 'When can I watch the Champions League final?'],
      ['how to get a stain out of a white shirt', 'how to get a stain into a white shirt'],
      ['how to get a stain out of a white shirt', 'how to get a stain out of a white carpet'],
      ['When is the best time to visit Peru?', 'When is the worst time to visit Peru?'],
      ['When is the best time to visit Peru?', 'When was the best time to visit Peru?'],
      ['为什么会打嗝？', '为什么不会打嗝？'],
      ['打嗝是什么原因？', '打喷嚏是什么原因？'],
      ['为什么社会需要法律？', '为什么社需要法律？'],
      ['小孩发烧了该怎么办？', '小孩没发烧怎么办'],
      ['小孩发烧了该怎么办？', '大人发烧了该怎么办？'],
      ['番茄炒蛋的做法', '番茄炒蛋的吃法'],
      ['番茄炒蛋的做法', '怎么做番茄汤'],
      ['长期熬夜有什么危害？', '长期熬夜有什么好处？'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ['trying to figure out how to split a bill in Venmo', 'What does it cost to replace a car windshield?', 'Where can I watch the Champions League final?', 'how to get a stain out of a white shirt', 'When is the best time to visit Peru?'];
    expectUnknownWordNeverMatches(english);
    const chinese = ['为什么会打嗝？', '打嗝是什么原因？', '太阳为什么会发光？', '小孩发烧了该怎么办？', '番茄炒蛋的做法', '西瓜吃多了会怎么样？'];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe('round 19 rules: my-situation first, prevent/keep from, led to, what causes X to, terse head-last queries, 的时候, 狗狗', () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ['hey so my cat keeps throwing up after eating, should I be worried?', 'should I be worried if my cat keeps throwing up after eating'],
      ['How to prevent my glasses from fogging up with a mask', 'How do I stop my glasses from fogging up with a mask?'],
      ['How do I keep my dog from barking at night?', 'How do I stop my dog from barking at night?'],
      ['What led to the fall of the Roman Empire?', 'What caused the fall of the Roman Empire?'],
      ['Why does my car shake when I brake?', 'what causes my car to shake when I brake'],
      ['python list comprehension example', 'Show me an example of a Python list comprehension.'],
      ['banana bread recipe', 'a recipe for banana bread'],
      ['Just curious, why do cats hate water?', 'Why do cats hate water?'],
      ["What's the quickest way to defrost chicken?", 'what is the fastest way to thaw chicken'],
      ['How do I get my toddler to eat vegetables?', 'How can I get my toddler to eat veggies?'],
      ['我想问问，喝蜂蜜水有什么好处', '喝蜂蜜水有什么好处？'],
      ['刹车的时候车子抖动是什么原因？', '为什么刹车时车子会抖动？'],
      ['狗狗可以吃葡萄吗？', '狗能吃葡萄吗？'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ['my cat keeps throwing up after eating, should I be worried?', 'should I be worried if my dog keeps throwing up after eating'],
      ['my cat keeps throwing up after eating, should I be worried?', "should I be worried if my cat doesn't keep throwing up after eating"],
      ['How to prevent my glasses from fogging up', 'How to prevent my windows from fogging up'],
      ['How do I keep my dog from barking at night?', 'How do I keep my dog barking at night?'],
      ['How did I keep my dog from barking at night?', 'How do I stop my dog from barking at night?'],
      ['What led to the fall of the Roman Empire?', 'What led to the rise of the Roman Empire?'],
      ['What led to the fall of the Roman Empire?', 'What leads to the fall of the Roman Empire?'],
      ['Why does my car shake when I brake?', 'what caused my car to shake when I brake'],
      ['Why does my car shake when I brake?', 'what causes my car to stall when I brake'],
      ['python list comprehension example', 'python dict comprehension example'],
      ['banana bread recipe', 'bread banana recipe'],
      ['banana bread recipe', 'banana bread tutorial'],
      ["What's the quickest way to defrost chicken?", "What's the quickest way to freeze chicken?"],
      ['刹车的时候车子抖动是什么原因？', '加速的时候车子抖动是什么原因？'],
      ['狗狗可以吃葡萄吗？', '猫咪可以吃葡萄吗？'],
      ['狗狗可以吃葡萄吗？', '狗狗不可以吃葡萄吗？'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ['hey so my cat keeps throwing up after eating, should I be worried?', 'How to prevent my glasses from fogging up with a mask', 'What led to the fall of the Roman Empire?', 'what causes my car to shake when I brake', 'python list comprehension example', 'banana bread recipe', 'Just curious, why do cats hate water?'];
    expectUnknownWordNeverMatches(english);
    const chinese = ['我想问问，喝蜂蜜水有什么好处', '刹车的时候车子抖动是什么原因？', '狗狗可以吃葡萄吗？', '为什么刹车时车子会抖动？'];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe('round 20 rules: interjections, texting "u", how long do I, -oes plurals, 请教, 救命', () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ['Help! How do I get gum out of hair?', 'How do I get gum out of hair?'],
      ['ugh, how do I stop hiccups', 'how do I stop hiccups'],
      ['can u recommend a good laptop for college', 'recommend a good laptop for college'],
      ['How long do I cook a turkey for?', 'How long should I cook a turkey?'],
      ['are tomatoes fruits or vegetables', 'Is a tomato a fruit or a vegetable?'],
      ['你好，想请教一下新手怎么学做饭', '新手怎么学做饭？'],
      ['救命！头发上粘了口香糖怎么办？', '头发上粘了口香糖怎么办？'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ['Help! How do I get gum out of hair?', 'Help! How do I get gum out of carpet?'],
      ['Help me get gum out of hair', 'How do I get gum out of hair?'],
      ['can u recommend a good laptop for college', 'can u recommend a good tablet for college'],
      ['Where is the U.S. embassy in Paris?', 'Where is the embassy in Paris?'],
      ['How long do I cook a turkey?', 'How long did I cook a turkey?'],
      ['How long do I cook a turkey?', 'How long should he cook a turkey?'],
      ['How long do I have to live?', 'How long to live?'],
      ['are tomatoes fruits or vegetables', 'are potatoes fruits or vegetables'],
      ['How do I clean my shoes?', 'How do I clean my shoe box?'],
      ['How do I unblock someone on Facebook?', 'How do I unblock Facebook on someone?'],
      ['救命！头发上粘了口香糖怎么办？', '救命！衣服上粘了口香糖怎么办？'],
      ['想请教一下新手怎么学做饭', '想请教一下新手怎么学做菜'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ['Help! How do I get gum out of hair?', 'ugh, how do I stop hiccups', 'can u recommend a good laptop for college', 'How long do I cook a turkey for?', 'are tomatoes fruits or vegetables'];
    expectUnknownWordNeverMatches(english);
    const chinese = ['你好，想请教一下新手怎么学做饭', '救命！头发上粘了口香糖怎么办？'];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe('round 21 rules: question openers, I do not understand how, how many X are in Y, 了怎么V, 该V什么', () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ['ok quick one: is it safe to charge my phone overnight?', 'Is it safe to charge my phone overnight?'],
      ['random question but why do we get goosebumps', 'Why do we get goosebumps?'],
      ["I don't understand how mortgages work", 'How do mortgages work?'],
      ['How many ounces are in a shot glass?', 'how many ounces in a shot glass'],
      ['自行车胎漏气了怎么修？', '自行车胎漏气怎么修理？'],
      ['面试应该穿什么？', '面试穿什么好？'],
      ['随便问一下，人为什么会起鸡皮疙瘩？', '人为什么会起鸡皮疙瘩？'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ['ok quick one: is it safe to charge my phone overnight?', 'ok quick one: is it safe to charge my laptop overnight?'],
      ['random question but why do we get goosebumps', 'random question but why do we get hiccups'],
      ["I don't understand how mortgages work", 'I understand how mortgages work'],
      ["I don't understand how mortgages work", "I don't understand how loans work"],
      ['How many ounces are in a shot glass?', 'How many ounces are in a pint glass?'],
      ['How many ounces are in a shot glass?', 'How many grams are in a shot glass?'],
      ['自行车胎漏气了怎么修？', '自行车胎没漏气怎么修？'],
      ['自行车胎漏气了怎么修？', '汽车胎漏气了怎么修？'],
      ['面试应该穿什么？', '面试可以穿什么？'],
      ['面试应该穿什么？', '婚礼应该穿什么？'],
      ['面试应该穿什么？', '面试应该带什么？'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ['ok quick one: is it safe to charge my phone overnight?', 'random question but why do we get goosebumps', "I don't understand how mortgages work", 'How many ounces are in a shot glass?'];
    expectUnknownWordNeverMatches(english);
    const chinese = ['自行车胎漏气了怎么修？', '面试应该穿什么？', '随便问一下，人为什么会起鸡皮疙瘩？'];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe('rounds 16–22 causes (third pass): asking others, job/role frames, gerund subjects, good/bad for you, -us plurals, zh openers and frames', () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["Can you tell me what a mortgage is?", "What is a mortgage?"],
      ["can you tell me how to boil an egg", "how do I boil an egg"],
      ["Could you tell me what a mortgage is?", "what is a mortgage"],
      ["I'd like to know how vaccines work", "How do vaccines work?"],
      ["I would like to know how vaccines work", "How do vaccines work?"],
      ["any idea how to fix a squeaky door?", "How do I fix a squeaky door?"],
      ["Any idea why my bread is dense?", "Why is my bread dense?"],
      ["do you happen to know when the Eiffel Tower was built?", "When was the Eiffel Tower built?"],
      ["I was wondering if you could tell me what causes hiccups", "What causes hiccups?"],
      ["I was wondering what causes hiccups", "what causes hiccups"],
      ["does anyone know how to remove rust from a bike chain?", "How do I remove rust from a bike chain?"],
      ["can someone explain how a mortgage works", "how does a mortgage work"],
      ["Can anyone tell me why the sky is blue?", "why is the sky blue"],
      ["mind telling me how tides work?", "How do tides work?"],
      ["I want to ask how tides work", "How do tides work?"],
      ["Let me ask you something: how do tides work?", "How do tides work?"],
      ["Could you let me know how tides work?", "How do tides work?"],
      ["what's the way to remove rust from a bike chain", "how do I remove rust from a bike chain"],
      ["What is the job of a product manager?", "What does a product manager do?"],
      ["what's a product manager's job", "what does a product manager do"],
      ["What is the role of a product manager?", "What does a product manager do?"],
      ["What is the function of the liver?", "What does the liver do?"],
      ["What was the role of Hermione in the story?", "What did Hermione do in the story?"],
      ["Is it bad to crack your knuckles?", "Is cracking your knuckles bad for you?"],
      ["is it bad to crack your knuckles", "is cracking your knuckles bad"],
      ["Is it safe to eat raw cookie dough?", "Is eating raw cookie dough safe?"],
      ["are bananas good for you", "Are bananas healthy?"],
      ["Is coffee bad for you?", "Is coffee bad?"],
      ["Am I allowed to bring a power bank on a plane?", "Can I bring a power bank on a plane?"],
      ["May I bring a power bank on a plane?", "Can I bring a power bank on a plane?"],
      ["How long does getting a passport take?", "how long does it take to get a passport"],
      ["Who was the Mona Lisa stolen by in 1911?", "Who stole the Mona Lisa in 1911?"],
      ["How many hearts do octopuses have?", "how many hearts does an octopus have"],
      ["What do viruses look like?", "what does a virus look like"],
      ["wait, do sharks have bones?", "Do sharks have bones?"],
      ["best budget smartphone 2024", "What is the best budget smartphone in 2024?"],
      ["Which star is closest to Earth?", "What's the closest star to Earth?"],
      ["At what age do babies start walking?", "When do babies start walking?"],
      ["How do I speed up my laptop?", "How can I make my laptop faster?"],
      ["how to unblock someone on Facebook", "how to unblock a person on Facebook"],
      ["What do you call someone who studies birds?", "What do you call a person who studies birds?"],
      ["headache relief without medication", "headache relief without medicine"],
      ["what are the benefits of yoga", "what are the advantages of yoga"],
      ["请问北京的人口是多少？", "北京的人口是多少？"],
      ["我想知道北京的人口是多少", "北京的人口是多少？"],
      ["想知道为什么天空是蓝色的", "为什么天空是蓝色的？"],
      ["能不能告诉我为什么天空是蓝色的", "为什么天空是蓝色的？"],
      ["你能告诉我为什么天空是蓝色的吗？", "为什么天空是蓝色的？"],
      ["有人知道为什么天空是蓝色的吗？", "为什么天空是蓝色的？"],
      ["谁能告诉我天空为什么是蓝色的？", "为什么天空是蓝色的？"],
      ["我很好奇蜜蜂是怎么酿蜜的", "蜜蜂怎么酿蜜？"],
      ["好奇问一下，蜜蜂怎么酿蜜？", "蜜蜂怎么酿蜜？"],
      ["求问：蜜蜂怎么酿蜜？", "蜜蜂怎么酿蜜？"],
      ["我想请教一下蜜蜂怎么酿蜜", "蜜蜂怎么酿蜜？"],
      ["能问一下蜜蜂怎么酿蜜吗", "蜜蜂怎么酿蜜？"],
      ["不吃药怎么缓解头疼？", "不吃药如何缓解头痛？"],
      ["企鹅生活在哪里？", "企鹅住在哪里？"],
      ["在谷歌表格里怎么按日期排序？", "谷歌表格怎么按日期排序？"],
      ["宝宝哭闹怎么哄？", "婴儿哭闹怎么哄？"],
      ["怎么降低电费？", "如何减少电费？"],
      ["产品经理是做什么的？", "产品经理的工作是什么？"],
      ["产品经理的职责是什么？", "产品经理是干什么的？"],
      ["离地球最近的恒星是哪颗？", "哪颗恒星离地球最近？"],
      ["经常熬夜有什么危害？", "经常熬夜对身体有什么坏处？"],
      ["抽烟对身体有害吗？", "抽烟有害健康吗？"],
      ["产品经理的职责是什么？", "产品经理是干什么的？"],
      ["有什么办法可以减肥？", "怎么减肥？"],
      ["经常熬夜有什么危害？", "经常熬夜对身体有什么坏处？"],
      ["抽烟对身体有害吗？", "抽烟有害健康吗？"],
      ["肝脏有什么作用？", "肝脏是做什么的？"],
      ["能问一下蜜蜂怎么酿蜜吗", "蜜蜂怎么酿蜜？"],
      ["Can anyone tell me why the sky is blue?", "why is the sky blue"],
      ["Let me ask you something: how do tides work?", "How do tides work?"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["does anyone know how to remove rust from a bike chain?", "does anyone know how to remove paint from a bike chain?"],
      ["does anyone know how to remove rust from a bike chain?", "How do I prevent rust on a bike chain?"],
      ["can someone explain how a mortgage works", "can someone explain how a loan works"],
      ["Can I ask my boss for a raise?", "Should I ask my boss for a raise?"],
      ["Can I ask my boss for a raise?", "my boss for a raise?"],
      ["I want to ask how tides work", "I want to ask how waves work"],
      ["wait, do sharks have bones?", "wait, do sharks have teeth?"],
      ["wait, do sharks have bones?", "do whales have bones?"],
      ["What is the job of a product manager?", "What does a project manager do?"],
      ["What was the role of a product manager?", "What does a product manager do?"],
      ["What is the role of a product manager?", "What did a product manager do?"],
      ["What is the function of the liver?", "What does the kidney do?"],
      ["what's a product manager's job", "what's a product manager's salary"],
      ["At what age do babies start walking?", "At what age do babies start talking?"],
      ["At what age do babies start walking?", "At what time do babies start walking?"],
      ["At what age do babies start walking?", "When do babies stop walking?"],
      ["How do I speed up my laptop?", "How do I slow down my laptop?"],
      ["How do I speed up my laptop?", "How can I make my laptop slower?"],
      ["How do I speed up my laptop?", "How can I make my phone faster?"],
      ["How do I speed up my laptop?", "How can I make my laptop fast?"],
      ["Am I allowed to bring a power bank on a plane?", "Am I allowed to bring two power banks on a plane?"],
      ["Am I allowed to bring a power bank on a plane?", "Should I bring a power bank on a plane?"],
      ["May I bring a power bank on a plane?", "Must I bring a power bank on a plane?"],
      ["are bananas good for you", "are bananas bad for you"],
      ["Is coffee bad for you?", "Is coffee good for you?"],
      ["Is coffee bad for you?", "Is coffee bad for dogs?"],
      ["Is coffee bad for you?", "Is decaf bad for you?"],
      ["Is cracking your knuckles bad for you?", "Is it good to crack your knuckles?"],
      ["Is cracking your knuckles bad for you?", "Is it bad to pop your knuckles?"],
      ["Is eating raw cookie dough safe?", "Is it safe to bake raw cookie dough?"],
      ["Is eating raw cookie dough safe?", "Was eating raw cookie dough safe?"],
      ["Is eating raw cookie dough safe?", "Is eating raw cookie dough unsafe?"],
      ["How long does getting a passport take?", "How long does renewing a passport take?"],
      ["How long does getting a passport take?", "How long did getting a passport take?"],
      ["How long does getting a passport take?", "how long does it take to get a visa"],
      ["Who was the Mona Lisa stolen by in 1911?", "Who was the Mona Lisa stolen by in 1912?"],
      ["Who was the Mona Lisa stolen by in 1911?", "Who was stolen by the Mona Lisa in 1911?"],
      ["Who was the Mona Lisa stolen by in 1911?", "Who was the Mona Lisa painted by in 1911?"],
      ["Who was the Mona Lisa stolen by in 1911?", "Who stole the Mona Lisa in 1911 from the Louvre?"],
      ["How many hearts do octopuses have?", "How many hearts do squids have?"],
      ["How many hearts do octopuses have?", "How many arms do octopuses have?"],
      ["What do viruses look like?", "What do bacteria look like?"],
      ["best budget smartphone 2024", "best budget smartphone 2023"],
      ["best budget smartphone 2024", "best budget smartphone before 2024"],
      ["summarize this in 1500 words", "summarize this 1500 words"],
      ["Which star is closest to Earth?", "Which star is farthest from Earth?"],
      ["Which star is closest to Earth?", "Which planet is closest to Earth?"],
      ["Which star is closest to Earth?", "Which star is closest to Mars?"],
      ["For a beginner, which programming language is easiest to learn?", "For a beginner, which programming language is hardest to learn?"],
      ["For a beginner, which programming language is easiest to learn?", "For an expert, which programming language is easiest to learn?"],
      ["how to unblock someone on Facebook", "how to unblock everyone on Facebook"],
      ["how to unblock someone on Facebook", "how to block someone on Facebook"],
      ["What do you call someone who studies birds?", "What do you call people who study birds?"],
      ["headache relief without medication", "headache relief with medication"],
      ["what are the benefits of yoga", "what are the disadvantages of yoga"],
      ["what are the benefits of yoga", "what are the benefits of pilates"],
      ["do you happen to know when the Eiffel Tower was built?", "do you happen to know when the Eiffel Tower was painted?"],
      ["do you know why the sky is blue", "do you know why the sea is blue"],
      ["do you know when the tower was built", "do you know when the tower will be built"],
      ["想知道为什么天空是蓝色的", "想知道为什么海是蓝色的"],
      ["有人知道为什么天空是蓝色的吗？", "有人知道为什么天空是红色的吗？"],
      ["谁能告诉我天空为什么是蓝色的？", "谁能告诉我天空为什么不是蓝色的？"],
      ["我很好奇蜜蜂是怎么酿蜜的", "我很好奇蚂蚁是怎么酿蜜的"],
      ["好奇问一下，蜜蜂怎么酿蜜？", "好奇问一下，蜜蜂怎么采蜜？"],
      ["不吃药怎么缓解头疼？", "不吃药怎么缓解牙疼？"],
      ["不吃药怎么缓解头疼？", "吃药怎么缓解头痛？"],
      ["他很心疼孩子", "他很心痛孩子"],
      ["企鹅生活在哪里？", "企鹅工作在哪里？"],
      ["企鹅生活在哪里？", "北极熊住在哪里？"],
      ["在谷歌表格里怎么按日期排序？", "在谷歌文档里怎么按日期排序？"],
      ["在谷歌表格里怎么按日期排序？", "在谷歌表格里怎么按名字排序？"],
      ["宝宝哭闹怎么哄？", "妈妈哭闹怎么哄？"],
      ["怎么降低电费？", "怎么提高电费？"],
      ["怎么降低电费？", "怎么降低水费？"],
      ["怎么增强免疫力？", "怎么减少免疫力？"],
      ["产品经理是做什么的？", "产品经理做了什么？"],
      ["产品经理的职责是什么？", "项目经理是干什么的？"],
      ["产品经理的工作是什么？", "产品经理的工资是什么？"],
      ["离地球最近的恒星是哪颗？", "离地球最远的恒星是哪颗？"],
      ["离地球最近的恒星是哪颗？", "哪颗行星离地球最近？"],
      ["离地球最近的恒星是哪颗？", "离火星最近的恒星是哪颗？"],
      ["经常熬夜有什么危害？", "经常熬夜对身体有什么好处？"],
      ["抽烟对身体有害吗？", "抽烟对身体好吗？"],
      ["抽烟对身体有害吗？", "喝酒有害健康吗？"],
      ["香蕉对身体好吗？", "香蕉对身体不好吗？"],
      ["自学吉他最好的方法是什么？", "自学钢琴最好的方法是什么？"],
      ["自学吉他最好的方法是什么？", "自学吉他最难的是什么？"],
      ["有什么办法可以减肥？", "有什么办法可以增肥？"],
      ["能问一下蜜蜂怎么酿蜜吗", "能问一下蜜蜂为什么酿蜜吗"],
      ["求问：蜜蜂怎么酿蜜？", "求问：蜜蜂吃什么？"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ['does anyone know how to remove rust from a bike chain?', 'What is the job of a product manager?', "what's a product manager's job", 'Is cracking your knuckles bad for you?', 'How long does getting a passport take?', 'Who was the Mona Lisa stolen by in 1911?', 'How many hearts do octopuses have?', 'wait, do sharks have bones?', 'Which star is closest to Earth?', 'How do I speed up my laptop?', 'Am I allowed to bring a power bank on a plane?', 'do you happen to know when the Eiffel Tower was built?', 'For a beginner, which programming language is easiest to learn?', 'At what age do babies start walking?'];
    expectUnknownWordNeverMatches(english);
    const chinese = ['有人知道为什么天空是蓝色的吗？', '我很好奇蜜蜂是怎么酿蜜的', '产品经理的职责是什么？', '抽烟对身体有害吗？', '企鹅生活在哪里？', '在谷歌表格里怎么按日期排序？', '离地球最近的恒星是哪颗？', '自学吉他最好的方法是什么？', '有什么办法可以减肥？', '不吃药怎么缓解头疼？'];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("round 23 rules: tips for V-ing, terse gerund queries, substitute for, in simple terms, whether, turn X into, is that normal, a stranded \"for\", Latin X里", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["tips for sleeping better", "how can I sleep better?"],
      ["How do you get gum out of hair?", "removing gum from hair"],
      ["whats a good substitute for buttermilk", "What can I use instead of buttermilk?"],
      ["Explain photosynthesis in simple terms", "explain photosynthesis simply"],
      ["explain inflation in layman's terms", "explain inflation simply"],
      ["my cat keeps throwing up, is that normal?", "Is it normal for my cat to keep throwing up?"],
      ["How can I turn a PDF into a Word file?", "how do I convert a PDF to a Word file"],
      ["what happens when you crack an egg into boiling water", "What happens if you crack an egg into boiling water?"],
      ["how to check whether a number is prime", "how to check if a number is prime"],
      ["Excel里怎么冻结窗口？", "在Excel中怎么冻结窗口？"],
      ["土豆怎么保存？", "马铃薯怎么保存？"],
      ["有什么办法能快速入睡？", "怎么快速睡着？"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["tips for sleeping better", "tips for sleeping less"],
      ["tips for sleeping better", "how can I eat better?"],
      ["removing gum from hair", "removing paint from hair"],
      ["removing gum from hair", "adding gum to hair"],
      ["whats a good substitute for buttermilk", "whats a good substitute for butter"],
      ["whats a good substitute for buttermilk", "what is buttermilk a good substitute for"],
      ["What can I use instead of buttermilk?", "What can I use buttermilk for?"],
      ["Explain photosynthesis in simple terms", "Explain photosynthesis in technical terms"],
      ["explain photosynthesis simply", "explain respiration simply"],
      ["my cat keeps throwing up, is that normal?", "my cat keeps sneezing, is that normal?"],
      ["my cat keeps throwing up, is that normal?", "my cat keeps throwing up, is that serious?"],
      ["Is it normal for my cat to keep throwing up?", "Is it normal for my dog to keep throwing up?"],
      ["How can I turn a PDF into a Word file?", "How can I turn a Word file into a PDF?"],
      ["How can I turn a PDF into a Word file?", "How can I turn a PDF into an Excel file?"],
      ["what happens when you crack an egg into boiling water", "what happened when you cracked an egg into boiling water"],
      ["what happens when you crack an egg into boiling water", "what happens when you crack an egg into cold water"],
      ["how to check whether a number is prime", "how to check whether a number is even"],
      ["Excel里怎么冻结窗口？", "Word里怎么冻结窗口？"],
      ["Excel里怎么冻结窗口？", "Excel里怎么取消冻结窗口？"],
      ["土豆怎么保存？", "红薯怎么保存？"],
      ["有什么办法能快速入睡？", "有什么办法能快速醒来？"],
      ["推荐几本适合初学者的理财书", "推荐几本适合专家的理财书"],
      ["西红柿炒蛋怎么做？", "西红柿炒饭怎么做？"],
      ["whats a good substitute for buttermilk", "what is buttermilk a good substitute for"],
      ["who is John working for", "who is working for John"],
      ["What is vinegar good for?", "What is good for vinegar?"],
      ["what is baking soda a substitute for", "what is a substitute for baking soda"],
      ["who is Anna waiting for", "who is waiting for Anna"],
      ["what is the dog looking at", "what is looking at the dog"],
      ["who did Mary vote for", "who voted for Mary"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ["tips for sleeping better", "removing gum from hair", "whats a good substitute for buttermilk", "What can I use instead of buttermilk?", "Explain photosynthesis in simple terms", "my cat keeps throwing up, is that normal?", "How can I turn a PDF into a Word file?", "what happens when you crack an egg into boiling water", "who is John working for"];
    expectUnknownWordNeverMatches(english);
    const chinese = ["Excel里怎么冻结窗口？", "有什么办法能快速入睡？", "马铃薯怎么保存？"];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("request frames (third pass): help me first, able to, got any tips, what do you know about, wondering / not sure / no idea, how would I, what should I V, 大家好, 大神, 急, 在线等, 说一下, 查一下, 不知道", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["Please explain how a heat pump works", "How does a heat pump work?"],
      ["I need to know how a heat pump works", "How does a heat pump work?"],
      ["Hey there! How does a heat pump work?", "How does a heat pump work?"],
      ["Hi, can you help me? How do I unclog a drain?", "How do I unclog a drain?"],
      ["Can you help me with something? How do I unclog a drain?", "How do I unclog a drain?"],
      ["Could you please explain how a heat pump works?", "How does a heat pump work?"],
      ["Explain to me how a heat pump works", "How does a heat pump work?"],
      ["Help! How do I unclog a drain?", "How do I unclog a drain?"],
      ["Can you please let me know how a heat pump works?", "How does a heat pump work?"],
      ["What do you know about black holes?", "Tell me about black holes."],
      ["I'm wondering how a heat pump works", "How does a heat pump work?"],
      ["Got any advice for a first job interview?", "Advice for a first job interview?"],
      ["Do you have any tips for a first job interview?", "Tips for a first job interview?"],
      ["Would you be able to tell me how a heat pump works?", "How does a heat pump work?"],
      ["How would I unclog a drain?", "How do I unclog a drain?"],
      ["What would be the best way to unclog a drain?", "What's the best way to unclog a drain?"],
      ["I'm not sure how to unclog a drain", "How do I unclog a drain?"],
      ["I have no idea how to unclog a drain", "How do I unclog a drain?"],
      ["How do I unclog a drain, please?", "How do I unclog a drain?"],
      ["how do i unclog a drain?? thanks!", "How do I unclog a drain?"],
      ["How do I unclog a drain? Thanks in advance.", "How do I unclog a drain?"],
      ["Hello! Quick question - how do I unclog a drain?", "How do I unclog a drain?"],
      ["Can I ask you a question? How do I unclog a drain?", "How do I unclog a drain?"],
      ["I'm curious, how does a heat pump work?", "How does a heat pump work?"],
      ["Could you tell me the best way to unclog a drain?", "What is the best way to unclog a drain?"],
      ["What's the easiest way to unclog a drain?", "easiest way to unclog a drain"],
      ["what should I feed a pet rabbit", "what to feed a pet rabbit"],
      ["What do I do if my car battery dies?", "What should I do if my car battery dies?"],
      ["Can you explain what a black hole is?", "What is a black hole?"],
      ["Give me a quick overview of black holes", "Tell me about black holes"],
      ["Do you know anything about black holes?", "Tell me about black holes."],
      ["请问一下，怎么疏通下水道？", "下水道怎么疏通？"],
      ["麻烦问下怎么疏通下水道", "怎么疏通下水道？"],
      ["大家好，怎么疏通下水道？", "怎么疏通下水道？"],
      ["有没有大神知道怎么疏通下水道？", "怎么疏通下水道？"],
      ["小白求问，怎么疏通下水道？", "怎么疏通下水道？"],
      ["急！下水道堵了怎么办？", "下水道堵了怎么办？"],
      ["下水道堵了怎么办？在线等", "下水道堵了怎么办？"],
      ["能不能说一下怎么疏通下水道", "怎么疏通下水道？"],
      ["可以告诉我怎么疏通下水道吗？", "怎么疏通下水道？"],
      ["想请教大家怎么疏通下水道", "怎么疏通下水道？"],
      ["我想问问怎么疏通下水道", "怎么疏通下水道？"],
      ["你好，请问怎么疏通下水道？谢谢！", "怎么疏通下水道？"],
      ["帮我查一下怎么疏通下水道", "怎么疏通下水道？"],
      ["下水道怎么疏通啊？", "怎么疏通下水道"],
      ["请教一下各位，下水道怎么疏通？", "下水道怎么疏通？"],
      ["我不知道怎么疏通下水道", "怎么疏通下水道？"],
      ["谁知道下水道怎么疏通？", "下水道怎么疏通？"],
      ["帮我查一下北京的天气", "北京的天气"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["Hi, can you help me? How do I unclog a drain?", "Hi, can you help me? How do I unclog a toilet?"],
      ["Can you help me move this weekend?", "Can you help me move next weekend?"],
      ["Can you help me?", "Can you help me? How do I unclog a drain?"],
      ["What do you know about black holes?", "What do you know about white holes?"],
      ["What do you know about black holes?", "What do you not know about black holes?"],
      ["Give me a quick overview of black holes", "Give me a quick overview of wormholes"],
      ["I'm wondering how a heat pump works", "I'm wondering how a heat pump fails"],
      ["I'm not sure how to unclog a drain", "I'm not sure why I should unclog a drain"],
      ["I have no idea how to unclog a drain", "I have no idea how to clog a drain"],
      ["Got any advice for a first job interview?", "Got any advice for a second job interview?"],
      ["Do you have any tips for a first job interview?", "Do you have any tips for a first date?"],
      ["Would you be able to tell me how a heat pump works?", "Would you be able to tell me how a heat pump is installed?"],
      ["How would I unclog a drain?", "How would I clog a drain?"],
      ["How would I unclog a drain?", "Why would I unclog a drain?"],
      ["What would be the best way to unclog a drain?", "What would be the worst way to unclog a drain?"],
      ["what should I feed a pet rabbit", "what should I feed a pet hamster"],
      ["what should I feed a pet rabbit", "what shouldn't I feed a pet rabbit"],
      ["what should I feed a pet rabbit", "what could I feed a pet rabbit"],
      ["what should I feed a pet rabbit", "what did I feed a pet rabbit"],
      ["Before a job interview, what should I prepare?", "After a job interview, what should I prepare?"],
      ["大家好，怎么疏通下水道？", "大家好，怎么疏通马桶？"],
      ["大家都喜欢吃什么？", "都喜欢吃什么？"],
      ["大家觉得哪个好？", "觉得哪个好？"],
      ["有没有大神知道怎么疏通下水道？", "有没有大神知道怎么堵住下水道？"],
      ["小白求问，怎么疏通下水道？", "小白求问，怎么清洗下水道？"],
      ["新手怎么学做饭？", "怎么学做饭？"],
      ["急！下水道堵了怎么办？", "急！马桶堵了怎么办？"],
      ["为什么我总是很急", "为什么我总是很"],
      ["能不能说一下怎么疏通下水道", "能不能说一下为什么疏通下水道"],
      ["帮我查一下北京的天气", "帮我查一下上海的天气"],
      ["我不知道怎么疏通下水道", "我知道怎么疏通下水道"],
      ["我不知道怎么疏通下水道", "我不知道为什么疏通下水道"],
      ["想请教大家怎么疏通下水道", "想请教大家怎么疏通水管"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ["Hi, can you help me? How do I unclog a drain?", "What do you know about black holes?", "I am wondering how a heat pump works", "I have no idea how to unclog a drain", "Do you have any tips for a first job interview?", "Would you be able to tell me how a heat pump works?", "How would I unclog a drain?", "what should I feed a pet rabbit"];
    expectUnknownWordNeverMatches(english);
    const chinese = ["大家好，怎么疏通下水道？", "有没有大神知道怎么疏通下水道？", "急！下水道堵了怎么办？在线等", "能不能说一下怎么疏通下水道", "帮我查一下北京的天气", "我不知道怎么疏通下水道", "想请教大家怎么疏通下水道"];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("round 24 rules: X vs Y difference, a summary of, the origin of, a trailing why, a joke about X, how long does X last, how can I tell if, 怎么V O / O怎么V inside a sentence, 没有/没, 解决/怎么办, 苹果手机", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["iPhone怎么设置铃声？", "苹果手机铃声怎么设置"],
      ["微信怎么删除好友", "微信好友怎么删除"],
      ["Please summarize the plot of Hamlet", "Give me a summary of Hamlet's plot"],
      ["Give me a brief summary of World War I", "summarize World War I"],
      ["weather vs climate difference", "What's the difference between weather and climate?"],
      ["Baking soda vs baking powder: what's the difference?", "difference between baking soda and baking powder"],
      ["What is the origin of the word quarantine?", "where does the word quarantine come from"],
      ["my laptop gets really hot when I'm gaming, why?", "Why does my laptop get really hot when I'm gaming?"],
      ["Tell me a joke about cats", "Give me a cat joke"],
      ["How long can cooked rice stay in the fridge?", "how long does cooked rice last in the fridge"],
      ["How can I tell if a melon is ripe?", "how do I know if a melon is ripe"],
      ["电视没有声音怎么办？", "电视没声音了怎么解决"],
      ["手机老是死机怎么办", "手机总是死机怎么办？"],
      ["饭后立刻运动好吗", "饭后马上运动好吗"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["iPhone怎么设置铃声？", "iPhone怎么删除铃声？"],
      ["猫怎么吃狗粮", "狗粮怎么吃猫"],
      ["微信怎么删除好友", "好友怎么删除微信"],
      ["iPhone怎么设置铃声？", "铃声怎么设置iPhone？"],
      ["Please summarize the plot of Hamlet", "Please summarize the plot of Macbeth"],
      ["Give me a brief summary of World War I", "Give me a brief summary of World War II"],
      ["weather vs climate difference", "weather vs climate similarity"],
      ["Baking soda vs baking powder: what's the difference?", "Baking soda vs baking powder: which is better?"],
      ["What is the origin of the word quarantine?", "What is the meaning of the word quarantine?"],
      ["What is the origin of the word quarantine?", "where does the word quarantine go"],
      ["my laptop gets really hot when gaming, why?", "my laptop gets really cold when gaming, why?"],
      ["my laptop gets really hot when gaming, why?", "my laptop gets really hot when gaming, how?"],
      ["Tell me a joke about cats", "Tell me a story about cats"],
      ["Tell me a joke about cats", "Tell me a joke about dogs"],
      ["How long can cooked rice stay in the fridge?", "How long can cooked rice stay in the freezer?"],
      ["How long can cooked rice stay in the fridge?", "How long can raw rice stay in the fridge?"],
      ["How long can cooked rice stay in the fridge?", "How long should cooked rice cook in the fridge?"],
      ["How can I tell if a melon is ripe?", "How can I tell if a melon is rotten?"],
      ["电视没有声音怎么办？", "电视有声音怎么办？"],
      ["电视没声音了怎么解决", "电视没图像了怎么解决"],
      ["手机老是死机怎么办", "手机偶尔死机怎么办"],
      ["饭后立刻运动好吗", "饭前立刻运动好吗"],
      ["苹果手机怎么截图", "苹果电脑怎么截图"],
      ["苹果手机多少钱", "苹果多少钱"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ["Please summarize the plot of Hamlet", "weather vs climate difference", "Baking soda vs baking powder: what is the difference?", "What is the origin of the word quarantine?", "my laptop gets really hot when gaming, why?", "Tell me a joke about cats", "How long can cooked rice stay in the fridge?", "How can I tell if a melon is ripe?"];
    expectUnknownWordNeverMatches(english);
    const chinese = ["iPhone怎么设置铃声？", "苹果手机铃声怎么设置", "电视没声音了怎么解决", "手机老是死机怎么办", "饭后立刻运动好吗"];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("terse queries and everyday synonyms: X side effects / the side effects of X, X price, X height, X author, X meaning, distance to X, texting contractions, bike, fridge, 发热, 卫生间, 公分, 开心, 单车, 老婆", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["capital of france", "What is the capital of France?"],
      ["definition of entropy", "What is entropy?"],
      ["entropy meaning", "what does entropy mean"],
      ["define entropy", "what is the meaning of entropy"],
      ["ibuprofen side effects", "What are the side effects of ibuprofen?"],
      ["iphone 15 price", "How much does the iPhone 15 cost?"],
      ["best laptop for students", "What is the best laptop for students?"],
      ["how to boil eggs", "boiling eggs"],
      ["symptoms of strep throat", "strep throat symptoms"],
      ["who wrote pride and prejudice", "Pride and Prejudice author"],
      ["How tall is the Eiffel Tower?", "eiffel tower height"],
      ["how old is the earth", "age of the earth"],
      ["how far is the moon", "distance to the moon"],
      ["How do I fix my bike chain?", "How do I fix my bicycle chain?"],
      ["how to clean the fridge", "how to clean the refrigerator"],
      ["what is the tv show about", "what is the television show about"],
      ["info about black holes", "information about black holes"],
      ["my tummy hurts", "my stomach hurts"],
      ["whos the president of france", "who is the president of France"],
      ["thats not working, why", "why is that not working"],
      ["youre the best", "you are the best"],
      ["why is ur cat sneezing", "why is your cat sneezing"],
      ["发烧了吃什么好", "发热了吃什么好"],
      ["价格是多少", "价钱是多少"],
      ["卫生间怎么除臭", "厕所怎么除臭"],
      ["一米八几公分", "一米八几厘米"],
      ["他为什么不开心", "他为什么不高兴"],
      ["我经常头疼", "我常常头疼"],
      ["电冰箱怎么除霜", "冰箱怎么除霜"],
      ["单车怎么修", "自行车怎么修"],
      ["老婆生日送什么", "妻子生日送什么"],
      ["老公生日送什么", "丈夫生日送什么"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["ibuprofen side effects", "What are the side effects of aspirin?"],
      ["ibuprofen side effects", "What are the long term effects of ibuprofen?"],
      ["symptoms of strep throat", "strep throat causes"],
      ["symptoms of strep throat", "throat strep symptoms"],
      ["the side of the road", "road side"],
      ["the top of the mountain", "mountain top"],
      ["a cup of tea", "tea cup"],
      ["the back side of the moon", "moon back side"],
      ["the history of New York", "York history of New"],
      ["the price of a cup of coffee", "cup coffee price of a"],
      ["iphone 15 price", "iphone 14 price"],
      ["iphone 15 price", "iphone 15 weight"],
      ["iphone 15 price", "iphone 15 pro price"],
      ["price of an iphone 15", "price of an iphone 15 case"],
      ["eiffel tower height", "eiffel tower age"],
      ["eiffel tower height", "empire state building height"],
      ["How tall is the Eiffel Tower?", "How wide is the Eiffel Tower?"],
      ["age of the earth", "age of the moon"],
      ["age of the earth", "age of the universe"],
      ["shoe size", "how big is a shoe"],
      ["distance to the moon", "distance to the sun"],
      ["distance to the moon", "distance from the moon"],
      ["Pride and Prejudice author", "Pride and Prejudice publisher"],
      ["Pride and Prejudice author", "Emma author"],
      ["entropy meaning", "enthalpy meaning"],
      ["What is the meaning of life?", "What is life?"],
      ["define entropy", "what is the meaning of entropy in thermodynamics"],
      ["the meaning of this song", "what is this song"],
      ["youre the best", "youre the worst"],
      ["why is ur cat sneezing", "why is my cat sneezing"],
      ["why is ur cat sneezing", "why is our cat sneezing"],
      ["I left early cuz I was sick", "I left early although I was sick"],
      ["How do I fix my bike chain?", "How do I fix my motorbike chain?"],
      ["how to clean the fridge", "how to clean the freezer"],
      ["发烧了吃什么好", "发冷了吃什么好"],
      ["价格是多少", "价值是多少"],
      ["卫生间怎么除臭", "厨房怎么除臭"],
      ["一米八几公分", "一米八几毫米"],
      ["他为什么不开心", "他为什么开心"],
      ["我经常头疼", "我偶尔头疼"],
      ["单车怎么修", "摩托车怎么修"],
      ["老婆生日送什么", "老公生日送什么"],
      ["妻子生日送什么", "丈夫生日送什么"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ["ibuprofen side effects", "symptoms of strep throat", "iphone 15 price", "eiffel tower height", "age of the earth", "distance to the moon", "Pride and Prejudice author", "entropy meaning", "why is ur cat sneezing", "how to clean the fridge"];
    expectUnknownWordNeverMatches(english);
    const chinese = ["发烧了吃什么好", "卫生间怎么除臭", "一米八几公分", "单车怎么修", "老婆生日送什么"];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("question frames: which X is best for, the location of, X or Y which is better, used for / uses of, pronunciation / spelling of, another word for, antonym, what time is it in, terse conversions, recipe for, considered, what will happen if, how much does X weigh, what currency does X use, get X out, number of X on Y, the world's X-est", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["which laptop is best for programming", "what is the best laptop for programming"],
      ["best laptop for programming?", "what's the best laptop for programming"],
      ["where is the Louvre", "what is the location of the Louvre"],
      ["coffee or tea, which is better?", "Which is better: coffee or tea?"],
      ["how does a refrigerator work", "how a refrigerator works"],
      ["explain how a refrigerator works", "how does a refrigerator work?"],
      ["What is baking soda used for?", "uses of baking soda"],
      ["what is the use of baking soda", "What is baking soda used for?"],
      ["What can baking soda be used for?", "what is baking soda used for"],
      ["how do you pronounce quinoa", "how to pronounce quinoa"],
      ["pronunciation of quinoa", "how do you pronounce quinoa"],
      ["how do you spell necessary", "spelling of necessary"],
      ["what is the plural of cactus", "plural of cactus"],
      ["cactus plural", "What is the plural of cactus?"],
      ["synonym for happy", "another word for happy"],
      ["what's another word for happy", "a synonym for happy"],
      ["opposite of generous", "what is the antonym of generous"],
      ["what's the opposite of generous", "antonym of generous"],
      ["what time is it in Tokyo", "current time in Tokyo"],
      ["5 miles to km", "convert 5 miles to kilometers"],
      ["5 miles in km", "how many km is 5 miles"],
      ["recipe for banana bread", "banana bread recipe"],
      ["Is a tomato considered a fruit?", "Is a tomato a fruit?"],
      ["what will happen if I stop taking antibiotics early", "what happens if I stop taking antibiotics early"],
      ["ways to save money", "how to save money"],
      ["how much does an elephant weigh", "how heavy is an elephant"],
      ["elephant weight", "How much does an elephant weigh?"],
      ["population of Canada", "what is the population of Canada"],
      ["Canada population", "How many people live in Canada?"],
      ["what currency does Japan use", "currency of Japan"],
      ["Japan currency", "What is the currency of Japan?"],
      ["how to remove a stripped screw", "how do I get a stripped screw out"],
      ["do cats like water", "Do cats like water?"],
      ["how many legs does a spider have", "number of legs on a spider"],
      ["How many bones are in the human body?", "how many bones does the human body have"],
      ["What's the tallest building in the world?", "tallest building in the world"],
      ["world's tallest building", "tallest building in the world"],
      ["fastest land animal", "what is the fastest land animal"],
      ["What do pandas eat?", "what do pandas eat??"],
      ["How do I change a flat tire?", "steps to change a flat tire"],
      ["How do I change a flat tire?", "how to change a flat tyre"],
      ["Why do we dream?", "What is the reason we dream?"],
      ["What are the health benefits of green tea?", "green tea health benefits"],
      ["How to get better at chess", "how do I improve at chess"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["which laptop is best for programming", "which laptop is worst for programming"],
      ["which laptop is best for programming", "what is the best laptop for gaming"],
      ["where is the Louvre", "what is the location of the Prado"],
      ["where is the Louvre", "where was the Louvre"],
      ["coffee or tea, which is better?", "coffee or tea, which is worse?"],
      ["coffee or tea, which is better?", "coffee or juice, which is better?"],
      ["Which is better: coffee or tea?", "Which is cheaper: coffee or tea?"],
      ["What is baking soda used for?", "What is baking powder used for?"],
      ["What is baking soda used for?", "What was baking soda used for?"],
      ["uses of baking soda", "dangers of baking soda"],
      ["What can baking soda be used for?", "What can't baking soda be used for?"],
      ["pronunciation of quinoa", "spelling of quinoa"],
      ["pronunciation of quinoa", "pronunciation of acai"],
      ["how do you spell necessary", "how do you spell separate"],
      ["synonym for happy", "synonym for sad"],
      ["synonym for happy", "opposite of happy"],
      ["another word for happy", "another word for angry"],
      ["opposite of generous", "opposite of greedy"],
      ["what's the opposite of generous", "what's a synonym for generous"],
      ["what time is it in Tokyo", "what time is it in Seoul"],
      ["what time is it in Tokyo", "what time was it in Tokyo"],
      ["what time is it in Tokyo", "what time does it open in Tokyo"],
      ["5 miles to km", "5 km to miles"],
      ["5 miles to km", "6 miles to km"],
      ["5 miles in km", "5 miles in meters"],
      ["2 weeks in Japan", "2 weeks to Japan"],
      ["recipe for banana bread", "recipe for zucchini bread"],
      ["banana bread recipe", "banana bread calories"],
      ["Is a tomato considered a fruit?", "Is a tomato considered a vegetable?"],
      ["Is a tomato considered a fruit?", "Was a tomato considered a fruit?"],
      ["what will happen if I stop taking antibiotics early", "what will happen if I start taking antibiotics early"],
      ["what will happen if I stop taking antibiotics early", "what happened when I stopped taking antibiotics early"],
      ["how much does an elephant weigh", "how much did an elephant weigh"],
      ["how much does an elephant weigh", "how tall is an elephant"],
      ["how much does an elephant weigh", "how much does a whale weigh"],
      ["elephant weight", "elephant height"],
      ["what currency does Japan use", "what currency does China use"],
      ["what currency does Japan use", "what language does Japan use"],
      ["how to remove a stripped screw", "how do I put a stripped screw in"],
      ["how do I get a stripped screw out", "how do I get a stripped bolt out"],
      ["How to get better at chess", "How to get worse at chess"],
      ["How to get better at chess", "How to get better at checkers"],
      ["how many legs does a spider have", "number of eyes on a spider"],
      ["how many legs does a spider have", "number of legs on an ant"],
      ["the number of people in China", "the number of people in India"],
      ["world's tallest building", "world's shortest building"],
      ["world's tallest building", "tallest building in the city"],
      ["How do I change a flat tire?", "how to change a flat tube"],
      ["What color is grey hair?", "What color is white hair?"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ["which laptop is best for programming", "coffee or tea, which is better?", "What is baking soda used for?", "pronunciation of quinoa", "another word for happy", "what time is it in Tokyo", "5 miles to km", "recipe for banana bread", "Is a tomato considered a fruit?", "how much does an elephant weigh", "what currency does Japan use", "how do I get a stripped screw out", "number of legs on a spider", "world's tallest building"];
    expectUnknownWordNeverMatches(english);
    const chinese = ["发烧了吃什么好"];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("Chinese question frames: X的方法 / X有什么方法, 做法, X的原因, X是啥, 推荐几部X / 有什么X推荐, 属于, 谁V的X, A到B的距离, 治疗", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["北京有多少人口？", "北京的人口是多少？"],
      ["珠穆朗玛峰多高？", "珠穆朗玛峰的高度是多少？"],
      ["为什么天空是蓝色的", "天空为什么是蓝色"],
      ["怎么做红烧肉", "红烧肉的做法"],
      ["红烧肉怎么做", "红烧肉做法"],
      ["如何学好英语", "学好英语的方法"],
      ["学好英语有什么方法", "怎样学好英语"],
      ["失眠怎么办", "失眠了怎么办？"],
      ["失眠怎么治", "怎么治疗失眠"],
      ["什么是区块链", "区块链是什么"],
      ["区块链是什么意思", "解释一下区块链"],
      ["区块链是啥", "什么是区块链？"],
      ["猫能吃巧克力吗", "猫可以吃巧克力吗"],
      ["猫可不可以吃巧克力", "猫能不能吃巧克力"],
      ["请推荐几部好看的电影", "有什么好看的电影推荐"],
      ["有哪些好看的电影", "推荐一些好看的电影"],
      ["今天天气怎么样", "今天天气如何"],
      ["一斤等于多少克", "一斤是多少克"],
      ["1公斤是多少斤", "一公斤等于几斤"],
      ["从北京到上海多远", "北京离上海有多远"],
      ["西瓜是水果还是蔬菜", "西瓜属于水果还是蔬菜"],
      ["熬夜有什么危害", "熬夜的坏处有哪些"],
      ["熬夜对身体的影响", "熬夜对身体有什么影响"],
      ["多喝水有什么好处", "多喝水的好处"],
      ["如何快速减肥", "快速减肥的方法"],
      ["手机没电了怎么办", "手机没有电了怎么办"],
      ["长城有多长", "长城的长度是多少"],
      ["地球到月球的距离", "地球离月球多远"],
      ["谁发明了电话", "电话是谁发明的"],
      ["电话的发明者是谁", "谁发明的电话"],
      ["哪个国家人口最多", "人口最多的国家是哪个"],
      ["狗为什么吃草", "狗吃草的原因"],
      ["小孩发烧怎么办", "孩子发烧了怎么办"],
      ["怎样才能睡个好觉", "怎么才能睡好觉"],
      ["怎么样提高工作效率", "提高工作效率的方法有哪些"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["红烧肉怎么做", "红烧鱼怎么做"],
      ["红烧肉做法", "红烧肉热量"],
      ["学好英语的方法", "学好日语的方法"],
      ["学好英语有什么方法", "学好英语有什么好处"],
      ["学好英语的方法", "学好英语的目的"],
      ["减肥的方法", "增肥的方法"],
      ["失眠怎么治", "失眠怎么预防"],
      ["区块链是啥", "比特币是啥"],
      ["请推荐几部好看的电影", "请推荐几部难看的电影"],
      ["请推荐几部好看的电影", "请推荐几本好看的书"],
      ["推荐一本书", "推荐三本书"],
      ["推荐几本书", "推荐一本书"],
      ["有什么好看的电影推荐", "有什么好看的电视剧推荐"],
      ["西瓜属于水果吗", "西瓜属于蔬菜吗"],
      ["西瓜是水果还是蔬菜", "番茄是水果还是蔬菜"],
      ["地球到月球的距离", "地球到太阳的距离"],
      ["地球到月球的距离", "月球到地球的时间"],
      ["谁发明的电话", "谁发明的电灯"],
      ["谁发明的电话", "谁改进的电话"],
      ["狗吃草的原因", "猫吃草的原因"],
      ["狗吃草的原因", "狗吃草的后果"],
      ["这本书属于谁", "这本书是谁写的"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ["What is the origin of the word quarantine?"];
    expectUnknownWordNeverMatches(english);
    const chinese = ["学好英语有什么方法", "推荐几部好看的电影", "有什么好看的电影推荐", "谁发明的电话", "狗吃草的原因", "西瓜属于水果还是蔬菜", "地球到月球的距离", "红烧肉做法", "失眠怎么治"];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("everyday rewordings: my with I, fastest / easiest way to, best time of year, work out, hours of, need help V-ing, lower as a verb, habitat, X content of, when I am V-ing, what is X for, harmful", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["how do I clean my oven", "how do I clean the oven"],
      ["how to get rid of ants in the kitchen", "how do I get rid of ants in my kitchen"],
      ["whats the quickest way to thaw frozen chicken", "how do I thaw frozen chicken fast"],
      ["what's the fastest way to cool down a room", "how to cool down a room quickly"],
      ["What's the easiest way to learn to touch type?", "How can I learn to touch type easily?"],
      ["what's the best time of year to visit Peru", "What is the best time to visit Peru?"],
      ["Is it OK to exercise with a cold?", "Is it okay to work out with a cold?"],
      ["How many hours of sleep does a toddler need?", "How much sleep does a toddler need?"],
      ["I need help writing a resignation letter", "Help me write a resignation letter."],
      ["how to lower my electricity bill", "how to reduce my electricity bill"],
      ["Where do penguins live?", "What is the habitat of penguins?"],
      ["How much caffeine is in a cup of green tea?", "What is the caffeine content of a cup of green tea?"],
      ["my laptop gets really hot when gaming, why?", "Why does my laptop get really hot when I'm gaming?"],
      ["what is this button for", "what is this button used for"],
      ["Is smoking harmful?", "Is smoking bad for you?"],
      ["is vaping harmful to your health", "is vaping bad for you"],
      ["Is smoking harmful?", "Is smoking bad for you?"],
      ["is vaping harmful to your health", "is vaping bad for you"],
      ["what is this button for", "what is this button used for"],
      ["What is a router for?", "what is a router used for"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["how do I clean my oven", "how do I clean your oven"],
      ["how do I clean my oven", "how do I clean his oven"],
      ["what is my IP address", "what is an IP address"],
      ["what is my zodiac sign", "what is a zodiac sign"],
      ["how do I clean my oven", "how do I clean my microwave"],
      ["whats the quickest way to thaw frozen chicken", "whats the slowest way to thaw frozen chicken"],
      ["whats the quickest way to thaw frozen chicken", "whats the quickest way to freeze chicken"],
      ["whats the quickest way to thaw frozen chicken", "how do I thaw frozen chicken"],
      ["What's the easiest way to learn to touch type?", "What's the hardest way to learn to touch type?"],
      ["what's the best time of year to visit Peru", "what's the worst time of year to visit Peru"],
      ["what's the best time of year to visit Peru", "what's the best time of day to visit Peru"],
      ["Is it OK to work out with a cold?", "Is it OK to work out with a fever?"],
      ["how do I work out the area of a circle", "how do I exercise the area of a circle"],
      ["How many hours of sleep does a toddler need?", "How many hours of sleep does an adult need?"],
      ["How many hours of sleep does a toddler need?", "How many minutes of sleep does a toddler need?"],
      ["I need help writing a resignation letter", "I need help reading a resignation letter"],
      ["I need help writing a resignation letter", "I need help writing a cover letter"],
      ["how to lower my electricity bill", "how to raise my electricity bill"],
      ["how to lower my electricity bill", "how to lower my water bill"],
      ["what causes lower back pain", "what causes reduce back pain"],
      ["Where do penguins live?", "What is the diet of penguins?"],
      ["What is the habitat of penguins?", "What is the habitat of polar bears?"],
      ["How much caffeine is in a cup of green tea?", "What is the sugar content of a cup of green tea?"],
      ["How much caffeine is in a cup of green tea?", "What is the caffeine content of a cup of black tea?"],
      ["my laptop gets really hot when gaming, why?", "my laptop gets really hot when he is gaming, why?"],
      ["why does it hurt when I'm running", "why does it hurt when he's running"],
      ["what is this button for", "what is this lever for"],
      ["what is this button for", "what is this button made of"],
      ["What is X good for?", "What is X used for?"],
      ["what is HTTP short for", "what is HTTP used for"],
      ["Is smoking harmful?", "Is smoking harmless?"],
      ["Is smoking harmful?", "Is smoking harmless?"],
      ["Is smoking harmful?", "Is vaping harmful?"],
      ["what is this button for", "what is that button for"],
      ["What is a router for?", "What is a router made of?"],
      ["What are friends for?", "What are friends used for?"],
      ["what is the use of crying", "what is crying"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ["how do I clean my oven", "whats the quickest way to thaw frozen chicken", "What is the easiest way to learn to touch type?", "Is it OK to work out with a cold?", "How many hours of sleep does a toddler need?", "I need help writing a resignation letter", "how to lower my electricity bill", "What is the habitat of penguins?", "What is the caffeine content of a cup of green tea?", "why does it hurt when I am running", "what is this button for"];
    expectUnknownWordNeverMatches(english);
    const chinese = ["发烧了吃什么好"];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("Chinese: 怎么会, 价格是多少, 什么地方, 啥时候, 有什么用, A-not-A questions; X definition", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["他怎么会生病", "他为什么会生病"],
      ["iPhone 15多少钱", "iPhone 15的价格是多少"],
      ["故宫在哪里", "故宫在什么地方"],
      ["春节啥时候", "春节什么时候"],
      ["这个东西有什么用", "这个东西是做什么的"],
      ["会不会下雨", "会下雨吗"],
      ["要不要带伞", "要带伞吗"],
      ["是不是所有的鸟都会飞", "所有的鸟都会飞吗"],
      ["entropy definition", "what is entropy"],
      ["学游泳要多久", "学游泳需要多长时间"],
      ["北京有什么好玩的地方", "北京有哪些好玩的地方"],
      ["睡前喝牛奶好不好", "睡前喝牛奶好吗"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["他怎么会生病", "他怎么会康复"],
      ["iPhone 15多少钱", "iPhone 14多少钱"],
      ["故宫在哪里", "长城在什么地方"],
      ["春节啥时候", "中秋啥时候"],
      ["这个东西有什么用", "那个东西有什么用"],
      ["会不会下雨", "会不会下雪"],
      ["是不是所有的鸟都会飞", "是不是有些鸟会飞"],
      ["entropy definition", "enthalpy definition"],
      ["睡前喝牛奶好不好", "睡前喝咖啡好不好"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ["entropy definition"];
    expectUnknownWordNeverMatches(english);
    const chinese = ["他怎么会生病", "iPhone 15的价格是多少", "故宫在什么地方", "春节啥时候", "这个东西有什么用"];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("ways of asking how: a topic in front, pls help, Question:, X question -, teach / remind me how, I forgot how, walk me through, a guide to, step by step, how does one; a prompt in capitals keeps its plurals", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["Excel: how to freeze panes", "how to freeze panes in Excel"],
      ["In Excel, how do I freeze panes?", "How do I freeze panes in Excel?"],
      ["pls help: how do I freeze panes in Excel", "How do I freeze panes in Excel?"],
      ["How do I freeze panes in Excel? Please help!", "How do I freeze panes in Excel?"],
      ["how do i freeze panes in excel??", "How do I freeze panes in Excel"],
      ["HOW DO I FREEZE PANES IN EXCEL", "How do I freeze panes in Excel?"],
      ["Question: how do I freeze panes in Excel?", "How do I freeze panes in Excel?"],
      ["Excel question - how do I freeze panes?", "How do I freeze panes in Excel?"],
      ["Can someone tell me how to freeze panes in Excel?", "How do I freeze panes in Excel?"],
      ["Is there any way to freeze panes in Excel?", "How do I freeze panes in Excel?"],
      ["How does one freeze panes in Excel?", "How do I freeze panes in Excel?"],
      ["Explain how to freeze panes in Excel", "How do I freeze panes in Excel?"],
      ["Show me how to freeze panes in Excel", "How do I freeze panes in Excel?"],
      ["Teach me how to freeze panes in Excel", "How do I freeze panes in Excel?"],
      ["I forgot how to freeze panes in Excel", "How do I freeze panes in Excel?"],
      ["Remind me how to freeze panes in Excel", "How do I freeze panes in Excel?"],
      ["Steps for freezing panes in Excel", "How do I freeze panes in Excel?"],
      ["Guide to freezing panes in Excel", "How do I freeze panes in Excel?"],
      ["How to freeze panes in Excel - step by step", "How do I freeze panes in Excel?"],
      ["Walk me through freezing panes in Excel", "How do I freeze panes in Excel?"],
      ["What are the steps to freeze panes in Excel?", "How do I freeze panes in Excel?"],
      ["how would you freeze panes in excel", "How do I freeze panes in Excel?"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["Excel: how to freeze panes", "how to freeze panes in Word"],
      ["Excel: how to freeze panes", "Excel: how to unfreeze panes"],
      ["Excel: how to freeze panes", "how to freeze Excel panes without Excel"],
      ["pls help: how do I freeze panes in Excel", "pls help: how do I hide panes in Excel"],
      ["How do I freeze panes in Excel? Please help!", "How do I freeze rows in Excel? Please help!"],
      ["Can you help me freeze panes in Excel?", "Can you help me find panes in Excel?"],
      ["HOW DO I FREEZE PANES IN EXCEL", "HOW DO I FREEZE PANE IN EXCEL ONLINE"],
      ["WHAT IS HTTPS", "WHAT IS HTTP"],
      ["What does AWS stand for?", "What does AW stand for?"],
      ["Question: how do I freeze panes in Excel?", "Question: why do I freeze panes in Excel?"],
      ["Excel question - how do I freeze panes?", "Word question - how do I freeze panes?"],
      ["How does one freeze panes in Excel?", "How does two freeze panes in Excel?"],
      ["Teach me how to freeze panes in Excel", "Teach me how to split panes in Excel"],
      ["Teach me to cook", "Cook"],
      ["I forgot how to freeze panes in Excel", "I forgot to freeze panes in Excel"],
      ["Remind me how to freeze panes in Excel", "Remind me to freeze panes in Excel"],
      ["Walk me through freezing panes in Excel", "Walk me through splitting panes in Excel"],
      ["Guide to freezing panes in Excel", "Guide to freezing panes in Sheets"],
      ["How to freeze panes in Excel - step by step", "How to freeze panes in Excel - in one step"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ["Excel: how to freeze panes", "pls help: how do I freeze panes in Excel", "Excel question - how do I freeze panes?", "Teach me how to freeze panes in Excel", "I forgot how to freeze panes in Excel", "Walk me through freezing panes in Excel", "Guide to freezing panes in Excel", "How to freeze panes in Excel - step by step", "How does one freeze panes in Excel?"];
    expectUnknownWordNeverMatches(english);
    const chinese = ["发烧了吃什么好"];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("Chinese ways of asking how and why: 要/该怎么, X的步骤, 教我X, 怎么V才好, 什么原因导致X, X是怎么回事, 是什么东西, 简单说说, 长胖/发胖", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["怎么煮米饭", "米饭怎么煮"],
      ["米饭要怎么煮", "米饭该怎么煮"],
      ["煮米饭的步骤", "怎么煮米饭"],
      ["教我煮米饭", "怎么煮米饭"],
      ["请问米饭怎么煮好吃", "米饭怎么煮才好吃"],
      ["为啥猫咪喜欢纸箱", "猫为什么喜欢纸箱"],
      ["猫咪为何喜欢纸箱", "为什么猫喜欢纸箱"],
      ["猫喜欢纸箱的原因是什么", "猫为什么喜欢纸箱"],
      ["什么原因导致失眠", "失眠的原因是什么"],
      ["造成失眠的原因", "为什么会失眠"],
      ["失眠是怎么回事", "为什么会失眠"],
      ["黑洞是什么东西", "什么是黑洞"],
      ["黑洞是什么？", "黑洞是啥？"],
      ["给我讲讲黑洞", "黑洞是什么"],
      ["介绍一下黑洞", "什么是黑洞"],
      ["简单介绍一下黑洞", "简单说说黑洞"],
      ["高血压不能吃什么", "高血压有哪些不能吃的"],
      ["宝宝几个月可以吃辅食", "婴儿几个月能吃辅食"],
      ["孩子不爱吃饭怎么办", "小孩不爱吃饭怎么办"],
      ["电脑蓝屏怎么解决", "电脑蓝屏了怎么办"],
      ["如何快速入睡", "怎样快速睡着"],
      ["喝咖啡会长胖吗", "喝咖啡会发胖吗"],
      ["吃鸡蛋会胖吗", "吃鸡蛋会长胖吗"],
      ["跑步能减肥吗", "跑步可以减肥吗"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["米饭要怎么煮", "米饭不要怎么煮"],
      ["米饭要怎么煮", "面条要怎么煮"],
      ["煮米饭的步骤", "煮米饭的时间"],
      ["煮米饭的步骤", "煮面条的步骤"],
      ["教我煮米饭", "教我煮面条"],
      ["教我煮米饭", "教他煮米饭"],
      ["米饭怎么煮才好吃", "米饭怎么煮才难吃"],
      ["猫喜欢纸箱的原因是什么", "猫讨厌纸箱的原因是什么"],
      ["什么原因导致失眠", "什么原因导致头痛"],
      ["失眠是怎么回事", "头晕是怎么回事"],
      ["黑洞是什么东西", "白洞是什么东西"],
      ["简单介绍一下黑洞", "详细介绍一下黑洞"],
      ["喝咖啡会长胖吗", "喝咖啡会变瘦吗"],
      ["吃鸡蛋会胖吗", "吃鸡蛋会瘦吗"],
      ["他胖吗", "他变胖了吗"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ["What is the origin of the word quarantine?"];
    expectUnknownWordNeverMatches(english);
    const chinese = ["米饭要怎么煮", "煮米饭的步骤", "教我煮米饭", "米饭怎么煮才好吃", "什么原因导致失眠", "失眠是怎么回事", "黑洞是什么东西", "简单说说黑洞", "喝咖啡会长胖吗"];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("round 25 rules: terse agent nouns (X painter / composer), diff, what do I need to, safely anywhere, a trailing how, 不够用/不足, 冬季/冬天, 截屏/截图, 怎么在X上", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ["Could you tell me who painted the Starry Night?", "Starry Night painter"],
      ["Who composed the Moonlight Sonata?", "Moonlight Sonata composer"],
      ["whats the diff between a virus and bacteria", "What's the difference between viruses and bacteria?"],
      ["What do I need to bring to the DMV?", "what should I bring to the DMV"],
      ["Is it possible to reheat rice safely?", "Can I safely reheat rice?"],
      ["How do I deactivate my LinkedIn account?", "deactivate linkedin account how"],
      ["手机内存不够用了怎么办？", "手机内存不足怎么办？"],
      ["冬季怎么护肤", "冬天怎么护肤"],
      ["电脑怎么截图？", "怎么在电脑上截屏"],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ["Could you tell me who painted the Starry Night?", "Starry Night buyer"],
      ["Starry Night painter", "Mona Lisa painter"],
      ["Moonlight Sonata composer", "Moonlight Sonata performer"],
      ["whats the diff between a virus and bacteria", "whats the diff between a virus and a fungus"],
      ["What do I need to bring to the DMV?", "What do I need to bring to the bank?"],
      ["What do I need to bring to the DMV?", "What must I bring to the DMV?"],
      ["What do I need to bring to the DMV?", "What do I need to avoid at the DMV?"],
      ["Is it possible to reheat rice safely?", "Is it possible to reheat rice twice?"],
      ["Can I safely reheat rice?", "Can I safely freeze rice?"],
      ["deactivate linkedin account how", "deactivate linkedin account why"],
      ["deactivate linkedin account how", "delete linkedin account how"],
      ["手机内存不够用了怎么办？", "电脑内存不够用了怎么办？"],
      ["冬季怎么护肤", "夏季怎么护肤"],
      ["电脑怎么截图？", "手机怎么截图？"],
      ["怎么在电脑上截屏", "怎么在电脑上录屏"],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ["Starry Night painter", "Moonlight Sonata composer", "whats the diff between a virus and bacteria", "What do I need to bring to the DMV?", "Can I safely reheat rice?", "deactivate linkedin account how"];
    expectUnknownWordNeverMatches(english);
    const chinese = ["手机内存不够用了怎么办？", "冬季怎么护肤", "怎么在电脑上截屏"];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("sixth session (rounds 16–26 taxonomy): temperature points, help with / good for, a generic your, am with I, usually anywhere, 怎么把, V掉, 转换成, 日语难学, walk me through, a cup of X in grams", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ['what is the boiling point of milk', 'At what temperature does milk boil?'],
      ['what temperature does olive oil smoke at', 'What is the smoke point of olive oil?'],
      ['whats the boiling point of water in fahrenheit', 'At what temperature in Fahrenheit does water boil?'],
      ["What is water's freezing point?", 'At what temperature does water freeze?'],
      ['gold melting point', 'At what temperature does gold melt?'],
      ['牛奶的沸点是多少度？', '牛奶多少度会沸腾？'],
      ['Which vitamins help with hair growth?', 'What vitamins are good for hair growth?'],
      ['What stretches help with a stiff neck?', 'stretches for a stiff neck'],
      ['Is coconut oil good for your hair?', 'Is coconut oil good for hair?'],
      ['Does coffee stunt your growth?', 'Does coffee stunt growth?'],
      ['im always tired even after 8 hours of sleep, why', 'Why am I always tired even after 8 hours of sleep?'],
      ["What's the weather usually like in Lisbon in October?", 'How is the weather in Lisbon in October typically?'],
      ['怎么把衬衫上的墨水洗掉？', '衬衫上的墨水怎么洗？'],
      ['怎么把照片转换成PDF', '照片怎么转成PDF'],
      ['日语难学吗？', '学日语难吗？'],
      ['学日语难不难？', '日语难学吗'],
      ['How do I change a flat tire?', 'Could you walk me through changing a flat tire?'],
      ['How many grams are in a cup of sugar?', 'a cup of sugar in grams'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ['what is the boiling point of milk', 'At what temperature does milk freeze?'],
      ['What is the boiling point of water?', 'What is the freezing point of water?'],
      ['whats the boiling point of water in fahrenheit', 'At what temperature in Celsius does water boil?'],
      ['What is the boiling point of water?', 'What is the boiling point of salt water?'],
      ['At what temperature does milk boil?', 'At what temperature did milk boil?'],
      ['gold melting point', 'silver melting point'],
      ['牛奶的沸点是多少度？', '牛奶的冰点是多少度？'],
      ['牛奶的沸点是多少度？', '牛奶多少度能沸腾？'],
      ['牛奶多少度会沸腾？', '牛奶多少度会结冰？'],
      ['Which vitamins help with hair growth?', 'Which vitamins are bad for hair growth?'],
      ['Which vitamins help with hair growth?', 'Which vitamins are not good for hair growth?'],
      ['Which vitamins help with hair growth?', 'Which vitamins cause hair loss?'],
      ['What stretches help with a stiff neck?', 'What stretches help with a stiff back?'],
      ['Is coconut oil good for your hair?', 'Is coconut oil good for my hair?'],
      ['Is coconut oil good for your hair?', 'Is coconut oil good for her hair?'],
      ['Is coconut oil good for your hair?', 'Is coconut oil bad for your hair?'],
      ['What is your name?', 'What is name?'],
      ['Why am I always tired?', 'Why was I always tired?'],
      ['Why am I always tired?', 'Why are you always tired?'],
      ['Is 8 am too early for a meeting?', 'Is 8 pm too early for a meeting?'],
      ['Is it usually not safe to swim after eating?', 'Is it not usually safe to swim after eating?'],
      ['Do all cats usually sleep a lot?', 'Do cats usually sleep a lot?'],
      ['怎么把衬衫上的墨水洗掉？', '怎么把裤子上的墨水洗掉？'],
      ['怎么把照片从手机传到电脑', '怎么把照片从电脑传到手机'],
      ['怎么把照片转换成PDF', '怎么把照片转换成Word'],
      ['日语难学吗？', '日语容易学吗？'],
      ['学日语难吗？', '学日语好吗？'],
      ['How do I change a flat tire?', 'Could you walk me through patching a flat tire?'],
      ['a cup of sugar in grams', 'a cup of flour in grams'],
      ['a cup of sugar in grams', 'a cup of sugar in ounces'],
      ['a cup of sugar in grams', 'two cups of sugar in grams'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ['what is the boiling point of milk', 'At what temperature does milk boil?', 'What stretches help with a stiff neck?', 'Is coconut oil good for your hair?', 'Why am I always tired even after 8 hours of sleep?', "What's the weather usually like in Lisbon in October?", 'Could you walk me through changing a flat tire?', 'a cup of sugar in grams'];
    expectUnknownWordNeverMatches(english);
    const chinese = ['牛奶的沸点是多少度？', '怎么把衬衫上的墨水洗掉？', '怎么把照片转换成PDF', '学日语难不难？'];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe("sixth session, continued: how many X does Y hold, X calories, a good X for / X ideas for, a polite way to, 是哪个城市, 才 after a question, 写一封 / 写封, 了 / 时 before a modal, 要多久, a day word moved to the front", () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ['how many ounces are in a shot glass?', 'How many ounces does a shot glass hold?'],
      ['How many calories are in an avocado?', 'avocado calories'],
      ['calories in a banana', 'How many calories are in a banana?'],
      ["What's a good name for a golden retriever?", 'What are some good names for a golden retriever?'],
      ['What is a good gift for a 5 year old boy?', 'gift ideas for a five-year-old boy'],
      ['What are good exercises for lower back pain?', 'For lower back pain, what are good exercises?'],
      ['How do I politely decline a wedding invitation?', "what's a polite way to decline a wedding invitation"],
      ["What's a cheap way to travel in Europe?", 'How can I travel in Europe cheaply?'],
      ['新西兰的首都是哪里', '新西兰首都是哪个城市？'],
      ['鱼香肉丝怎么做好吃？', '怎么做鱼香肉丝才好吃？'],
      ['鸡蛋煮多久才熟？', '鸡蛋煮多长时间熟'],
      ['学车大概要多久才能学会', '学车大概要多久能学会'],
      ['你能帮我写一封请假邮件吗', '帮我写封请假的邮件'],
      ['发烧了能喝牛奶吗？', '发烧的时候可以喝牛奶吗？'],
      ['煮鸡蛋要多久？', '煮鸡蛋多久'],
      ['北京今天天气怎么样？', '今天北京天气如何'],
      ['cup of sugar in grams', 'How many grams are in a cup of sugar?'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ['How many ounces does a shot glass hold?', 'How many ounces does a wine glass hold?'],
      ['How many ounces does a shot glass hold?', 'How many milliliters does a shot glass hold?'],
      ['avocado calories', 'avocado carbs'],
      ['avocado calories', 'banana calories'],
      ["What's a good name for a golden retriever?", "What's a good name for a German shepherd?"],
      ["What's a good name for a golden retriever?", "What's a bad name for a golden retriever?"],
      ['What is a good gift for a 5 year old boy?', 'What is a good gift for a 6 year old boy?'],
      ['What is a good gift for a 5 year old boy?', 'What is a cheap gift for a 5 year old boy?'],
      ["What's a good time to visit Japan?", 'time ideas to visit Japan'],
      ['whats a good substitute for buttermilk', 'buttermilk ideas'],
      ['How do I politely decline a wedding invitation?', "what's a polite way to accept a wedding invitation"],
      ['How do I politely decline a wedding invitation?', 'How do I rudely decline a wedding invitation?'],
      ['新西兰的首都是哪里', '新西兰最大的城市是哪个城市？'],
      ['新西兰的首都是哪个城市？', '澳大利亚的首都是哪个城市？'],
      ['鸡蛋煮多久才熟？', '鸡蛋煮多久才烂？'],
      ['他才十岁吗', '他十岁吗'],
      ['你能帮我写一封请假邮件吗', '帮我写两封请假的邮件'],
      ['发烧了能喝牛奶吗？', '发烧前能喝牛奶吗？'],
      ['发烧了能喝牛奶吗？', '发烧了能喝咖啡吗？'],
      ['煮鸡蛋要多久？', '煮鸡蛋能多久？'],
      ['煮鸡蛋要多久？', '煮鸡蛋要多少度？'],
      ['北京今天天气怎么样？', '北京明天天气怎么样？'],
      ['北京今天天气怎么样？', '上海今天天气怎么样？'],
      ['今天北京比上海冷吗', '今天上海比北京冷吗'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    const english = ['How many ounces does a shot glass hold?', 'avocado calories', "What's a good name for a golden retriever?", 'gift ideas for a five-year-old boy', "what's a polite way to decline a wedding invitation", 'cup of sugar in grams'];
    expectUnknownWordNeverMatches(english);
    const chinese = ['新西兰首都是哪个城市？', '怎么做鱼香肉丝才好吃？', '帮我写封请假的邮件', '发烧的时候可以喝牛奶吗？', '煮鸡蛋要多久？', '北京今天天气怎么样？'];
    expectUnknownCharacterNeverMatches(chinese);
  });
});

describe('sixth session, morphology: an e dropped before -ing (sneezing, braking, dancing), and "X V-ing, is that normal?"', () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ['Is it normal for a newborn to sneeze a lot?', 'newborn sneezing a lot, is that normal?'],
      ['Is it normal for my dog to sneeze after eating?', 'my dog sneezing after eating, is that normal?'],
      ['tips for baking sourdough bread', 'How do I bake sourdough bread?'],
      ['tips for snoozing an alarm on iPhone', 'how to snooze an alarm on iPhone'],
      ['a guide to moving abroad', 'how to move abroad'],
      ['my cat keeps throwing up, is that normal?', 'Is it normal for my cat to keep throwing up?'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ['Is it normal for a newborn to cough a lot?', 'newborn sneezing a lot, is that normal?'],
      ['Is it normal for a newborn to sneeze a lot?', 'newborn sneezing a lot, is that dangerous?'],
      ['Is it normal for a newborn to sneeze a little?', 'newborn sneezing a lot, is that normal?'],
      ['Is it normal for a toddler to sneeze a lot?', 'newborn sneezing a lot, is that normal?'],
      ['Is it normal for my dog to sneeze after eating?', 'my dog sneezing before eating, is that normal?'],
      ['tips for baking sourdough bread', 'How do I bake rye bread?'],
      ['tips for snoozing an alarm on iPhone', 'how to snooze an alarm on Android'],
      ['tips for snoozing an alarm on iPhone', 'how to snore on iPhone'],
      ['a guide to moving abroad', 'how to live abroad'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word as meaning in these rules: replacing or adding one never matches', () => {
    expectUnknownWordNeverMatches(['newborn sneezing a lot, is that normal?', 'Is it normal for a newborn to sneeze a lot?', 'tips for baking sourdough bread']);
  });
});

describe('sixth session: a podcast / book / movie about X as an X podcast, 吃完饭 / 饭后', () => {
  it('matches the rewordings each rule is for', () => {
    const paraphrases: Array<[string, string]> = [
      ['Recommend a good podcast about history', "What's a good history podcast?"],
      ['Recommend books on stoicism.', 'Could you please recommend some books about stoicism?'],
      ['a movie about sharks', 'shark movies'],
      ['吃完饭马上运动好不好？', '饭后马上运动好吗？'],
      ['为什么吃完饭会犯困？', '饭后犯困是什么原因'],
      ['吃完晚饭能洗澡吗', '晚饭后可以洗澡吗'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });

  it('keeps each of them strict where one word changes the answer', () => {
    const nearMisses: Array<[string, string]> = [
      ['Recommend a good podcast about history', "What's a good history book?"],
      ['Recommend a good podcast about history', "What's a good science podcast?"],
      ['a book about Lincoln', 'a book by Lincoln'],
      ['a movie about sharks', 'a movie about whales'],
      ['吃完饭马上运动好不好？', '饭前马上运动好吗？'],
      ['吃完晚饭能洗澡吗', '午饭后可以洗澡吗'],
      ['吃完饭马上运动好不好？', '吃饭时马上运动好吗？'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
  });

  it('counts any unknown word or character as meaning in these rules: replacing or adding one never matches', () => {
    expectUnknownWordNeverMatches(['Recommend a good podcast about history', "What's a good history podcast?", 'a movie about sharks']);
    expectUnknownCharacterNeverMatches(['吃完饭马上运动好不好？', '饭后犯困是什么原因', '吃完晚饭能洗澡吗']);
  });
});

describe('两 after a digit is the measure liang or "one or two", never the digit 2 (a wrong-answer path on main)', () => {
  it('keeps one liang, two liang and "one or two" apart, and reads a digit written either way alike', () => {
    const nearMisses: Array<[string, string]> = [
      ['一两等于多少克？', '二两等于多少克？'],
      ['三两米饭有多少热量', '两两米饭有多少热量'],
      ['三两米饭有多少热量', '二两米饭有多少热量'],
      ['一两个小时能到吗', '两个小时能到吗'],
      ['吃一两片可以吗', '吃两片可以吗'],
    ];
    for (const [a, b] of nearMisses) expect(compareTexts(a, b), `${a} / ${b}`).toMatchObject({ same: false });
    const paraphrases: Array<[string, string]> = [
      ['一两等于多少克？', '1两等于多少克？'],
      ['三两米饭有多少热量', '3两米饭有多少热量'],
      ['两个苹果多少钱', '2个苹果多少钱'],
      ['两百克米饭有多少热量', '200克米饭有多少热量'],
    ];
    for (const [a, b] of paraphrases) expect(compareTexts(a, b), `${a} / ${b}`).toEqual({ same: true });
  });
});

describe('contentSignature', () => {
  it('is equal for every pair the check may match, so one key finds them all', () => {
    const sig = (text: string) => contentSignature(promptTokens(text));
    expect(sig('In Python, how do I read a file?')).toBe(sig('How do I read a file in Python, please?'));
    expect(sig('Convert 100 Fahrenheit to Celsius.')).toBe(sig('Convert 100 Celsius to Fahrenheit.'));
    expect(sig('What is 17 times 23?')).not.toBe(sig('What is 17 times 24?'));
    expect(sig('为什么天空是蓝的？')).toBe(sig('天空为啥是蓝的？'));
    expect(sig("What is Tokyo's population?")).toBe(sig('What is the population of Tokyo?'));
  });
});
