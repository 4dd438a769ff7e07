// How a chat stream that breaks is framed: an error frame for the caller who is still reading, none
// (and no warning) when the caller is the one who left.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallAborted } from '#core/chat/types.ts';
import type { ChatCompletionChunk } from '#core/chat/openai-types.ts';
import { StreamInterruptedError } from '#core/chat/stream-session.ts';
import { sseBody } from '#handlers/shared/sse.ts';
import { logger } from '#handlers/shared/logger.ts';

const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] } as ChatCompletionChunk;

async function* breaking(error: unknown): AsyncGenerator<ChatCompletionChunk> {
  yield chunk;
  throw error;
}

async function text(error: unknown): Promise<string> {
  let out = '';
  for await (const part of sseBody(breaking(error), 'req-1')) out += String(part);
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('sseBody', () => {
  it('ends quietly when the client left: no error frame, no warning', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const out = await text(new Error('fetch aborted', { cause: new CallAborted('client_disconnected') }));
    expect(out).toBe(`data: ${JSON.stringify(chunk)}\n\n`);
    expect(warn).not.toHaveBeenCalled();
  });

  it('tells a caller still reading why the stream broke, and warns', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const timedOut = await text(new CallAborted('function_timeout'));
    expect(timedOut).toContain('"code":"internal_error"');
    const provider = await text(new StreamInterruptedError('the provider broke off', new Error('socket hang up')));
    expect(provider).toContain('"code":"stream_interrupted"');
    expect(provider).not.toContain('[DONE]');
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
