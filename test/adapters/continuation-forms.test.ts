// What each adapter sends for a continuation (a stream broken mid-answer, continued from the text
// already delivered): the trailing assistant message in the provider's own form, on the wire.
import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicClient } from '#adapters/providers/anthropic.ts';
import { OpenAiCompatibleClient } from '#adapters/providers/openai-compatible.ts';
import type { ChatCompletionChunk, ChatRequest } from '#core/chat/openai-types.ts';
import { sseAnswer } from '../support/fault-stack.ts';
import { useScriptedUpstream } from '../support/scripted-upstream.ts';
import type { ScriptedSseEvent } from '../support/scripted-upstream.ts';

const continued: ChatRequest = {
  model: 'm-upstream',
  messages: [{ role: 'user', content: 'Count to five.' }, { role: 'assistant', content: 'One, two, ' }],
};

async function text(iterable: AsyncIterable<ChatCompletionChunk>): Promise<string> {
  let out = '';
  for await (const c of iterable) out += c.choices[0]?.delta.content ?? '';
  return out;
}

const up = useScriptedUpstream();
afterEach(() => {
  expect(up.pending).toBe(0);
  up.requests.length = 0;
});

const lastMessage = (): unknown => (up.requests[0]?.json as { messages: unknown[] }).messages.at(-1);

describe('OpenAI-compatible continuation forms', () => {
  const client = (): OpenAiCompatibleClient => new OpenAiCompatibleClient({ providerId: 'p', baseUrl: `${up.url}/v1`, apiKey: 'k' });

  it('prefix (DeepSeek): the last assistant message carries prefix: true', async () => {
    up.enqueue({ sse: sseAnswer(['three.']) });
    expect(await text(client().stream(continued, { continuation: 'prefix' }))).toBe('three.');
    expect(lastMessage()).toEqual({ role: 'assistant', content: 'One, two, ', prefix: true });
  });

  it('partial (DashScope / Qwen): the last assistant message carries partial: true', async () => {
    up.enqueue({ sse: sseAnswer(['three.']) });
    await text(client().stream(continued, { continuation: 'partial' }));
    expect(lastMessage()).toEqual({ role: 'assistant', content: 'One, two, ', partial: true });
  });

  it('assistant: the trailing assistant message goes as it is; and nothing is marked without a continuation', async () => {
    up.enqueue({ sse: sseAnswer(['three.']) }, { sse: sseAnswer(['three.']) });
    await text(client().stream(continued, { continuation: 'assistant' }));
    expect(lastMessage()).toEqual({ role: 'assistant', content: 'One, two, ' });
    up.requests.length = 0;
    await text(client().stream(continued));
    expect(lastMessage()).toEqual({ role: 'assistant', content: 'One, two, ' });
  });
});

describe('Anthropic continuation', () => {
  const ev = (type: string, payload: object = {}): ScriptedSseEvent => ({ event: type, data: { type, ...payload } });

  it('sends the final assistant turn natively, without the trailing whitespace Messages refuses', async () => {
    up.enqueue({ sse: [
      ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, usage: { input_tokens: 5, output_tokens: 1 } } }),
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: ' three.' } }),
      ev('content_block_stop', { index: 0 }),
      ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } }),
      ev('message_stop'),
    ] });
    const client = new AnthropicClient({ providerId: 'a', baseUrl: up.url, apiKey: 'k' });
    expect(await text(client.stream(continued, { continuation: 'assistant' }))).toBe(' three.');
    const sent = up.requests[0]?.json as { messages: Array<{ role: string; content: unknown }> };
    expect(sent.messages.at(-1)?.role).toBe('assistant');
    expect(JSON.stringify(sent.messages.at(-1)?.content)).toContain('"One, two,"');
  });
});

