// What "differential+judge" never puts to a judge: a candidate whose words differ from the new prompt's
// by a number of another value or a negation present on one side only. The differential check reads
// those for certain, and a judge that is wrong a few percent of the time would turn a few percent of
// them into wrong answers (bench/cache-verify.ts, noisy simulated judges). Costs a hit only where a
// paraphrase swaps a negation for an antonym ("not safe" / "unsafe").
import { compareTokens } from './differential.ts';
import { promptTokens } from './prompt-tokens.ts';
import type { PromptToken } from './prompt-tokens.ts';

const NEGATIONS = new Set(['not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without', '不', '没', '没有', '别', '无', '非', '未', '不是', '不能', '不会', '不要']);

/** True when the two prompts differ by a number's value or a one-sided negation. */
export function certainlyDifferent(tokens: readonly PromptToken[], cachedText: string): boolean {
  const verdict = compareTokens(tokens, promptTokens(cachedText));
  return !verdict.same && verdict.reason === 'content' && verdict.differing.some((form) => form.startsWith('#') || NEGATIONS.has(form));
}
