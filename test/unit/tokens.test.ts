import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '#core/chat/openai-types.ts';
import {
  estimateInputTokens,
  estimateTokens,
  IMAGE_TOKENS,
  LOW_DETAIL_IMAGE_TOKENS,
  MESSAGE_OVERHEAD,
  REPLY_PRIMING,
  requestedOutputTokens,
  requiredCapabilities,
} from '#core/pricing/tokens.ts';

const request = (overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'auto',
  messages: [{ role: 'user', content: 'hi' }],
  ...overrides,
});

describe('estimateTokens', () => {
  it('counts about 4 Latin characters per token, rounded up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('a'.repeat(400))).toBe(100);
  });

  it('counts one token per CJK character', () => {
    expect(estimateTokens('你好世界')).toBe(4);
    expect(estimateTokens('こんにちは')).toBe(5);
    expect(estimateTokens('안녕')).toBe(2);
  });

  it('adds CJK and Latin parts of mixed text', () => {
    expect(estimateTokens('你好 world')).toBe(2 + 2); // 2 CJK + ceil(6 / 4)
  });

  it('counts an astral CJK character once', () => {
    expect(estimateTokens('𠀀𠀁')).toBe(2);
  });

  it('is deterministic', () => {
    const text = 'The quick brown fox 跳过 the lazy dog.';
    expect(estimateTokens(text)).toBe(estimateTokens(text));
  });
});

describe('estimateInputTokens', () => {
  it('adds per-message overhead and reply priming to the content', () => {
    const req = request({ messages: [{ role: 'system', content: 'abcd' }, { role: 'user', content: 'abcdefgh' }] });

    expect(estimateInputTokens(req)).toBe(REPLY_PRIMING + 2 * MESSAGE_OVERHEAD + 1 + 2);
  });

  it('charges a fixed cost per image, less for low detail', () => {
    const req = request({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'abcd' },
            { type: 'image_url', image_url: { url: 'https://x/1.png' } },
            { type: 'image_url', image_url: { url: 'https://x/2.png', detail: 'low' } },
          ],
        },
      ],
    });

    expect(estimateInputTokens(req)).toBe(REPLY_PRIMING + MESSAGE_OVERHEAD + 1 + IMAGE_TOKENS + LOW_DETAIL_IMAGE_TOKENS);
  });

  it('counts tool definitions and tool calls', () => {
    const tools: ChatRequest['tools'] = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    ];
    const bare = estimateInputTokens(request());

    const withTools = estimateInputTokens(request({ tools }));

    expect(withTools - bare).toBe(estimateTokens(JSON.stringify(tools)));
  });

  it('handles null content (assistant tool-call turns)', () => {
    const req = request({
      messages: [
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      ],
    });

    expect(estimateInputTokens(req)).toBeGreaterThan(REPLY_PRIMING + MESSAGE_OVERHEAD);
  });
});

describe('requestedOutputTokens', () => {
  it('prefers max_completion_tokens, then max_tokens, then the assumption', () => {
    expect(requestedOutputTokens(request({ max_completion_tokens: 50, max_tokens: 70 }), 1024)).toBe(50);
    expect(requestedOutputTokens(request({ max_tokens: 70 }), 1024)).toBe(70);
    expect(requestedOutputTokens(request({ max_tokens: null }), 1024)).toBe(1024);
  });
});

describe('requiredCapabilities', () => {
  it('needs nothing for plain text', () => {
    expect(requiredCapabilities(request())).toEqual([]);
  });

  it('maps image parts, tools and JSON response formats', () => {
    const req = request({
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/1.png' } }] }],
      tools: [{ type: 'function', function: { name: 'f' } }],
      response_format: { type: 'json_schema', json_schema: { name: 's', schema: {} } },
    });

    expect(requiredCapabilities(req)).toEqual(['vision', 'tools', 'json']);
  });

  it('needs json for json_object but not for text; no tools for an empty tools array', () => {
    expect(requiredCapabilities(request({ response_format: { type: 'json_object' } }))).toEqual(['json']);
    expect(requiredCapabilities(request({ response_format: { type: 'text' }, tools: [] }))).toEqual([]);
  });
});
