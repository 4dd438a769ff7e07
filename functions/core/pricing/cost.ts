// What a call costs (or is estimated to cost) in USD, from a resolved model's USD prices per 1M tokens.
import type { ResolvedModel } from '../catalog/catalog.ts';
import type { Usage } from '../chat/openai-types.ts';

const PER_TOKEN = 1 / 1_000_000;

/** Rounds to 1e-10 USD so sums of float products do not show noise like 0.30000000000000004. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

/**
 * Actual cost of a call. Cached prompt tokens are billed at the cached price, the rest of the prompt at the
 * input price; completion tokens (which already include reasoning tokens in OpenAI's accounting) at the output price.
 */
export function costUsd(model: ResolvedModel, usage: Usage): number {
  const prompt = Math.max(0, usage.prompt_tokens);
  const cached = Math.min(prompt, Math.max(0, usage.prompt_tokens_details?.cached_tokens ?? 0));
  const completion = Math.max(0, usage.completion_tokens);
  const { input, cachedInput, output } = model.priceUsd;
  return roundUsd(((prompt - cached) * input + cached * cachedInput + completion * output) * PER_TOKEN);
}

/** Estimated cost of a call before it is made (no cache hits assumed). */
export function estimateCostUsd(model: ResolvedModel, inputTokens: number, outputTokens: number): number {
  return roundUsd((inputTokens * model.priceUsd.input + outputTokens * model.priceUsd.output) * PER_TOKEN);
}
