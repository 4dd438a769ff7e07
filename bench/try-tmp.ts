import { compareTexts } from '#core/cache/differential.ts';
import { promptTokens } from '#core/cache/prompt-tokens.ts';
const pairs = process.argv.slice(2);
for (let i = 0; i < pairs.length; i += 2) {
  const show = (t: string) => promptTokens(t).map((x) => (x.harmless ? `(${x.form})` : x.form)).join(' ');
  console.log(compareTexts(pairs[i]!, pairs[i + 1]!).same ? 'SAME' : 'diff', '|', show(pairs[i]!), '|', show(pairs[i + 1]!));
}
