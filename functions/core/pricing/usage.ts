// Usage as reported by the provider, or estimated when a provider reports none (so a call is never
// recorded as free just because usage was missing).
import type { ChatCompletion, ChatRequest, Usage } from '../chat/openai-types.ts';
import { estimateInputTokens, estimateTokens } from './tokens.ts';

/** The provider's usage when present, otherwise an estimate from the prompt and the answer text. */
export function usageOrEstimate(reported: Usage | null | undefined, request: ChatRequest, answerText: string): Usage {
  if (reported) return reported;
  const prompt = estimateInputTokens(request);
  const completion = estimateTokens(answerText);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** The text of a completion's first choice, tool-call arguments included. */
export function completionText(completion: ChatCompletion): string {
  const message = completion.choices[0]?.message;
  if (!message) return '';
  const calls = (message.tool_calls ?? []).map((c) => c.function.name + c.function.arguments).join('');
  return (message.content ?? '') + calls;
}
