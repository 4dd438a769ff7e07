// A JSON Lines response streamed from an async iterable (batch results).
import { Readable } from 'node:stream';
import type { StreamingResponse } from './responses.ts';

/** 200 with one JSON document per line, written as the lines come. */
export function jsonl(lines: AsyncIterable<unknown>, requestId: string): StreamingResponse {
  async function* text(): AsyncGenerator<string> {
    for await (const line of lines) yield `${JSON.stringify(line)}\n`;
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/jsonl; charset=utf-8', 'cache-control': 'no-store', 'x-request-id': requestId },
    body: Readable.from(text(), { objectMode: false }),
  };
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
