// Turns a routed stream into the SSE bytes OpenAI clients expect. It never throws: a stream that
// breaks after output began ends with an error event and no [DONE], so no client mistakes it for a
// complete answer.
import { Readable } from 'node:stream';
import { RouterError } from '#core/shared/errors.ts';
import { CallAborted } from '#core/chat/types.ts';
import type { ChatCompletionChunk } from '#core/chat/openai-types.ts';
import { messagesError } from '#core/messages/messages-errors.ts';
import type { MessagesStreamEvent } from '#core/messages/stream-events.ts';
import { logger } from './logger.ts';

/** Whether a stream broke because its client left: nobody reads an error frame then, and it is no fault. */
function clientLeft(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    if (e instanceof CallAborted) return e.ending === 'client_disconnected';
  }
  return false;
}

export function sseBody(chunks: AsyncIterable<ChatCompletionChunk>, requestId: string): Readable {
  async function* frames(): AsyncGenerator<string> {
    try {
      for await (const chunk of chunks) yield `data: ${JSON.stringify(chunk)}\n\n`;
      yield 'data: [DONE]\n\n';
    } catch (error) {
      if (clientLeft(error)) {
        logger.info('client left mid-stream', { requestId });
        return;
      }
      const body = error instanceof RouterError
        ? error.toBody()
        : { error: { message: `Internal error; quote request id ${requestId}.`, type: 'server_error', param: null, code: 'internal_error' } };
      logger.warn('stream ended with an error', { requestId, code: body.error.code });
      yield `data: ${JSON.stringify(body)}\n\n`;
    }
  }
  return Readable.from(frames(), { objectMode: false });
}

/** Anthropic's named SSE events; a stream that breaks after it began ends with Anthropic's `error` event. */
export function messagesSseBody(events: AsyncIterable<MessagesStreamEvent>, requestId: string): Readable {
  async function* frames(): AsyncGenerator<string> {
    try {
      for await (const { event, data } of events) yield `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    } catch (error) {
      if (clientLeft(error)) {
        logger.info('client left mid-stream', { requestId });
        return;
      }
      const { body } = messagesError(error, requestId);
      logger.warn('stream ended with an error', { requestId, type: body.error.type });
      yield `event: error\ndata: ${JSON.stringify(body)}\n\n`;
    }
  }
  return Readable.from(frames(), { objectMode: false });
}
