// `x-router-max-cost` judges the expected cost of a request: its max_tokens when set, else the
// catalog's expectedOutputTokens (a typical answer), never the worst case. Default catalog,
// simulated providers, the openai client.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { estimateCostUsd } from '#core/pricing/cost.ts';
import { estimateInputTokens } from '#core/pricing/tokens.ts';
import { DEFAULT_CATALOG } from '#local/local-stack.ts';
import { useTestStack } from '../support/local-stack-fixture.ts';

const { stack, client } = useTestStack();
const catalog = parseCatalog(JSON.parse(readFileSync(DEFAULT_CATALOG, 'utf8')));
const messages = [{ role: 'user' as const, content: 'Name one prime number.' }];

/** The cheapest model's cost for this prompt and `outputTokens`, in USD. */
function cheapest(outputTokens: number): number {
  const prompt = estimateInputTokens({ model: 'cheap', messages });
  // Chat models only: embedding models never serve a chat request.
  return Math.min(...catalog.models.filter((m) => m.kind === 'chat').map((m) => estimateCostUsd(m, prompt, outputTokens)));
}

describe('x-router-max-cost', () => {
  const expected = catalog.defaults.expectedOutputTokens!;
  // A ceiling a typical answer fits under on the cheapest model, but the old 1,024-token assumption did not.
  const ceiling = (cheapest(expected) + cheapest(catalog.defaults.assumedOutputTokens)) / 2;

  it('admits a model whose expected cost (a typical answer) fits, without max_tokens', async () => {
    expect(expected).toBeLessThan(catalog.defaults.assumedOutputTokens);
    const { data, response } = await client.chat.completions
      .create({ model: 'auto', messages }, { headers: { 'x-router-max-cost': String(ceiling) } })
      .withResponse();

    expect(response.status).toBe(200);
    const model = catalog.modelsById.get(data.model)!;
    expect(estimateCostUsd(model, estimateInputTokens({ model: 'auto', messages }), expected)).toBeLessThanOrEqual(ceiling);
  });

  it('judges max_tokens when the request sets it', async () => {
    const error = await client.chat.completions
      .create({ model: 'auto', messages, max_tokens: catalog.defaults.assumedOutputTokens }, { headers: { 'x-router-max-cost': String(ceiling) } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('no_model_available');
    expect((error as Error).message).toContain('max_cost');
  });
});
