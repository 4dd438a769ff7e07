// What the simulated providers say and how they count it. Answers are a pure function of the
// model and the prompt, so local runs and tests are repeatable and the response cache has
// something stable to hit; token counts are rough but non-zero so cost accounting is exercised.

/** Roughly how providers' tokenizers count English: one token per four characters. */
import { seededRandom } from '#core/shared/seeded-random.ts';
export function countTokens(text: string): number {
  if (text === '') return 0;
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Plain text of an OpenAI or Anthropic message `content` (string or array of parts/blocks). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      if (!part || typeof part !== 'object') return '';
      const p = part as { text?: unknown; content?: unknown };
      if (typeof p.text === 'string') return p.text;
      return contentText(p.content);
    })
    .filter((t) => t !== '')
    .join('\n');
}

interface LooseMessage {
  role?: unknown;
  content?: unknown;
}

/** Every piece of text in the prompt, for counting input tokens. */
export function promptText(messages: LooseMessage[], system?: unknown): string {
  const parts = messages.map((m) => contentText(m.content));
  const sys = contentText(system);
  return [sys, ...parts].filter((t) => t !== '').join('\n');
}

export function lastUserText(messages: LooseMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === 'user') {
      const text = contentText(message.content).trim();
      if (text !== '') return text;
    }
  }
  return '';
}

/** Deterministic answer derived from the model and the last user message. */
export function simulatedAnswer(model: string, messages: LooseMessage[]): string {
  const question = lastUserText(messages).replace(/\s+/g, ' ');
  const words = question.split(' ').filter((w) => w !== '');
  const excerpt = words.slice(0, 12).join(' ') + (words.length > 12 ? ' ...' : '');
  const size = words.length;
  return (
    `Simulated answer from ${model} to: ${excerpt || '(empty prompt)'}. ` +
    `This reply was generated locally without calling a real provider; ` +
    `the question had ${size} word${size === 1 ? '' : 's'}.`
  );
}

/** Splits an answer into stream pieces, one per word (with its trailing space), like tokens. */
export function streamPieces(answer: string): string[] {
  return answer.match(/\S+\s*/g) ?? [];
}

/** Cuts the answer to at most `maxTokens` pieces; reports whether it had to. */
export function truncateToTokens(answer: string, maxTokens: number | undefined): { text: string; truncated: boolean } {
  const pieces = streamPieces(answer);
  if (maxTokens === undefined || maxTokens <= 0 || pieces.length <= maxTokens) return { text: answer, truncated: false };
  return { text: pieces.slice(0, maxTokens).join('').trimEnd(), truncated: true };
}

/** Seeded randomness so error injection is reproducible when a seed is given. */
export function seededRandomOrMath(seed: number | undefined): () => number {
  return seed === undefined ? Math.random : seededRandom(seed);
}

/** A short id suffix, stable for the same input. */
export function stableId(text: string): string {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0).toString(36).padStart(7, '0');
}

/** If the request offers tools and the user asks for one, the tool to call (by name or the first). */
export function requestedTool(toolNames: string[], messages: LooseMessage[]): string | undefined {
  if (toolNames.length === 0) return undefined;
  const text = lastUserText(messages).toLowerCase();
  if (!/\b(call|use|invoke)\b/.test(text)) return undefined;
  const named = toolNames.find((name) => text.includes(name.toLowerCase()));
  return named ?? (/\b(tool|function)\b/.test(text) ? toolNames[0] : undefined);
}
