// Chinese words as the differential check compares them. Intl.Segmenter cuts the same characters
// differently depending on their neighbours (光速 | 为 什么 | 多少个 against 为什么 | 多少 个), which made
// two spellings of one question differ. So a run of Chinese is segmented again, the same way in every
// context: the longest word the check knows (question words, synonyms, meaningless words, and the
// compounds that hold a meaningless character, such as 所有 or 没有) and otherwise single characters.
// Comparing characters never hides a difference: a changed character is still a changed token.
import { FREE_ORDER, HARMLESS, MOVABLE_WORDS, SYNONYMS } from './lexicon.ts';

/** Compounds that contain a character which alone is meaningless (有, 是, 的, 个, 之): kept whole. */
const PROTECTED = [
  '所有', '有些', '没有', '有用', '有效', '有名', '有趣', '有关', '拥有', '还是', '但是', '可是', '于是', '只是', '就是', '总是', '老是',
  '首都', '成都', '京都', '都市', '目的', '的确', '个人', '个子', '个体', '总之', '之一', '之间', '之内', '之外', '吗啡', '呢子', '啊呀',
  // 心疼 ("to feel for someone") is no pain, so 疼 inside it is never read as 痛.
  '心疼',
];

const han = /^\p{Script=Han}+$/u;
const dictionary = new Set<string>([
  ...PROTECTED,
  ...[...HARMLESS, ...FREE_ORDER, ...MOVABLE_WORDS, ...SYNONYMS.keys(), ...SYNONYMS.values()].filter((w) => han.test(w) && w.length > 1),
]);
const longest = Math.max(...[...dictionary].map((w) => w.length));

/** True for a token made only of Chinese characters. */
export const isHan = (token: string) => han.test(token);

/** Segments a run of Chinese characters: longest known word first, else one character. */
export function segmentHan(run: string): string[] {
  const chars = [...run];
  const out: string[] = [];
  for (let i = 0; i < chars.length;) {
    let length = Math.min(longest, chars.length - i);
    while (length > 1 && !dictionary.has(chars.slice(i, i + length).join(''))) length -= 1;
    out.push(chars.slice(i, i + length).join(''));
    i += length;
  }
  return out;
}
