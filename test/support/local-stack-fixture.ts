// Starts the embedded local runtime for an end-to-end test file: in memory, every provider simulated,
// fast simulated upstreams so the suite stays quick.
import OpenAI from 'openai';
import { startLocalStack } from '#local/local-stack.ts';
import type { LocalStack, LocalStackOptions } from '#local/local-stack.ts';

export async function startTestStack(overrides: LocalStackOptions = {}): Promise<{ stack: LocalStack; client: OpenAI }> {
  const stack = await startLocalStack({
    port: 0,
    env: {},
    simulated: { latencyMs: 5, tokensPerSecond: 5000, errorRate: 0 },
    ...overrides,
  });
  const client = new OpenAI({ baseURL: stack.baseUrl, apiKey: stack.apiKey, maxRetries: 0, timeout: 20_000 });
  return { stack, client };
}
