// The pure Messages API translation in core/messages: request -> ChatRequest, completion -> message,
// chunk stream -> Anthropic events.
import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '#core/chat/openai-types.ts';
import { fromChatCompletion } from '#core/messages/from-completion.ts';
import { anthropicErrorType, messagesError } from '#core/messages/messages-errors.ts';
import { messagesRequestSchema, parseMessagesBody } from '#core/messages/messages-request-schema.ts';
import { messagesStreamEvents } from '#core/messages/stream-events.ts';
import { toChatRequest } from '#core/messages/to-chat-request.ts';
import { InvalidRequestError, RouterError } from '#core/shared/errors.ts';

const parse = (body: unknown) => parseMessagesBody(messagesRequestSchema, body);

describe('toChatRequest', () => {
  it('maps system, images, tool_use, tool_result, stop_sequences, sampling and tool_choice', () => {
    const chat = toChatRequest(parse({
      model: 'auto', max_tokens: 300, system: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }],
      stop_sequences: ['END'], temperature: 0.5, top_p: 0.9, metadata: { user_id: 'u1' },
      tools: [{ name: 'lookup', input_schema: { type: 'object' } }], tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'see ' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] },
        { role: 'assistant', content: [{ type: 'text', text: 'calling' }, { type: 'tool_use', id: 't1', name: 'lookup', input: { q: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'found' }], is_error: true }, { type: 'text', text: 'go on' }] },
      ],
    }));
    expect(chat.messages).toEqual([
      { role: 'system', content: 'A\n\nB' },
      { role: 'user', content: [{ type: 'text', text: 'see ' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
      { role: 'assistant', content: 'calling', tool_calls: [{ id: 't1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } }] },
      { role: 'tool', tool_call_id: 't1', content: 'Error: found' },
      { role: 'user', content: 'go on' },
    ]);
    expect(chat).toMatchObject({ max_tokens: 300, stop: ['END'], temperature: 0.5, top_p: 0.9, user: 'u1', tool_choice: 'required', parallel_tool_calls: false });
    expect(chat.tools).toEqual([{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }]);
  });

  it('names the bad field in a 400', () => {
    expect(() => parse({ model: 'x', messages: [{ role: 'user', content: 'hi' }] })).toThrow(/max_tokens/);
    const error = (() => { try { parse({ model: 'x', max_tokens: 5, messages: [{ role: 'system', content: 'hi' }] }); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).param).toBe('messages[0].role');
  });
});

describe('fromChatCompletion', () => {
  it('builds text and tool_use blocks, the stop reason and usage without cached input', () => {
    const message = fromChatCompletion({
      id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-5.4',
      choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: 'ok', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":2}' } }] } }],
      usage: { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, prompt_tokens_details: { cached_tokens: 40 } },
    });
    expect(message).toMatchObject({
      id: 'msg_chatcmpl-1', type: 'message', role: 'assistant', model: 'gpt-5.4', stop_reason: 'tool_use',
      content: [{ type: 'text', text: 'ok' }, { type: 'tool_use', id: 'c1', name: 'f', input: { a: 2 } }],
      usage: { input_tokens: 60, output_tokens: 7, cache_read_input_tokens: 40 },
    });
  });
});

function chunk(delta: ChatCompletionChunk['choices'][number]['delta'], finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk {
  return { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] };
}

async function* from<T>(items: T[]): AsyncGenerator<T> { yield* items; }

describe('messagesStreamEvents', () => {
  it('opens one block per text run and per tool call, and ends with usage', async () => {
    const events = [];
    for await (const e of messagesStreamEvents(from([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }), chunk({ content: 'lo' }),
      chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
      { ...chunk({}), choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } },
    ]), { model: 'gpt-5.4', estimatedInputTokens: 8 })) events.push(e.data);

    expect(events.map((e) => `${e.type}${'index' in e ? e.index : ''}`)).toEqual([
      'message_start',
      'content_block_start0', 'content_block_delta0', 'content_block_delta0', 'content_block_stop0',
      'content_block_start1', 'content_block_delta1', 'content_block_delta1', 'content_block_stop1',
      'content_block_start2', 'content_block_delta2', 'content_block_stop2',
      'message_delta', 'message_stop',
    ]);
    expect(events[0]).toMatchObject({ message: { model: 'gpt-5.4', usage: { input_tokens: 8 } } });
    expect(events[5]).toMatchObject({ content_block: { type: 'tool_use', id: 'a', name: 'f' } });
    expect(events[6]).toMatchObject({ delta: { type: 'input_json_delta', partial_json: '{"x":' } });
    expect(events.at(-2)).toEqual({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { input_tokens: 9, output_tokens: 4 } });
  });

  it('yields nothing for an empty stream and maps length to max_tokens', async () => {
    const none = [];
    for await (const e of messagesStreamEvents(from<ChatCompletionChunk>([]), { model: 'm', estimatedInputTokens: 1 })) none.push(e);
    expect(none).toHaveLength(0);
    const events = [];
    for await (const e of messagesStreamEvents(from([chunk({ content: 'x' }, 'length')]), { model: 'm', estimatedInputTokens: 1 })) events.push(e.data);
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'max_tokens' } });
  });
});

describe('messagesError', () => {
  it('uses Anthropic error types by status and hides unexpected errors', () => {
    expect(anthropicErrorType(429)).toBe('rate_limit_error');
    expect(anthropicErrorType(404)).toBe('not_found_error');
    const known = messagesError(new RouterError('slow down', { status: 429, type: 'rate_limit_error', headers: { 'retry-after': '2' } }), 'r1');
    expect(known).toEqual({ status: 429, headers: { 'retry-after': '2' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' }, request_id: 'r1' } });
    const unknown = messagesError(new Error('secret detail'), 'r2');
    expect(unknown.status).toBe(500);
    expect(JSON.stringify(unknown.body)).not.toContain('secret');
  });
});
