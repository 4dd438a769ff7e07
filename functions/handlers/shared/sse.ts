// Turns a routed stream into the SSE bytes OpenAI clients expect. It never throws: a stream that
// breaks after output began ends with an error event and no [DONE], so no client mistakes it for a
// complete answer.
import { Readable } from 'node:stream';
import { RouterError } from '#core/shared/errors.ts';
import type { ChatCompletionChunk } from '#core/chat/openai-types.ts';
import { logger } from './logger.ts';

export function sseBody(chunks: AsyncIterable<ChatCompletionChunk>, requestId: string): Readable {
  async function* frames(): AsyncGenerator<string> {
    try {
      for await (const chunk of chunks) yield `data: ${JSON.stringify(chunk)}\n\n`;
      yield 'data: [DONE]\n\n';
    } catch (error) {
      const body = error instanceof RouterError
        ? error.toBody()
        : { error: { message: `Internal error; quote request id ${requestId}.`, type: 'server_error', param: null, code: 'internal_error' } };
      logger.warn('stream ended with an error', { requestId, code: body.error.code });
      yield `data: ${JSON.stringify(body)}\n\n`;
    }
  }
  return Readable.from(frames(), { objectMode: false });
}
