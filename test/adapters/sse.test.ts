import { describe, expect, it } from 'vitest';
import { parseSse } from '#adapters/providers/sse.ts';
import type { SseEvent } from '#adapters/providers/sse.ts';

function streamOf(chunks: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect(chunks: Array<string | Uint8Array>): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of parseSse(streamOf(chunks))) events.push(event);
  return events;
}

/** Every way of cutting `bytes` in two. */
function allSplits(bytes: Uint8Array): Array<[Uint8Array, Uint8Array]> {
  const out: Array<[Uint8Array, Uint8Array]> = [];
  for (let i = 0; i <= bytes.length; i++) out.push([bytes.slice(0, i), bytes.slice(i)]);
  return out;
}

const sample = 'event: message_start\ndata: {"a":1}\n\n: keep-alive\n\ndata: line one\ndata: line two\n\ndata: héllo 世界 🎉\n\n';
const expected: SseEvent[] = [
  { event: 'message_start', data: '{"a":1}' },
  { data: 'line one\nline two' },
  { data: 'héllo 世界 🎉' },
];

describe('parseSse', () => {
  it('parses named events, comments and multi-line data', async () => {
    expect(await collect([sample])).toEqual(expected);
  });

  it('gives the same events wherever the byte stream is cut, even inside a UTF-8 character', async () => {
    const bytes = new TextEncoder().encode(sample);
    for (const [a, b] of allSplits(bytes)) {
      expect(await collect([a, b])).toEqual(expected);
    }
  });

  it('survives one byte per chunk', async () => {
    const bytes = new TextEncoder().encode(sample);
    expect(await collect([...bytes].map((b) => new Uint8Array([b])))).toEqual(expected);
  });

  it('handles CRLF and lone CR line endings, including a CRLF split between chunks', async () => {
    const crlf = sample.replace(/\n/g, '\r\n');
    expect(await collect([crlf])).toEqual(expected);
    const bytes = new TextEncoder().encode(crlf);
    for (const [a, b] of allSplits(bytes)) expect(await collect([a, b])).toEqual(expected);
    expect(await collect([sample.replace(/\n/g, '\r')])).toEqual(expected);
  });

  it('keeps only the first space after the colon and handles fields without a value', async () => {
    expect(await collect(['data:  two spaces\n\ndata\n\ndata:no-space\n\n'])).toEqual([
      { data: ' two spaces' },
      { data: '' },
      { data: 'no-space' },
    ]);
  });

  it('does not dispatch events that carry no data line', async () => {
    expect(await collect(['event: ping\n\nretry: 100\n\ndata: x\n\n'])).toEqual([{ data: 'x' }]);
  });

  it('carries the id field and strips a leading BOM', async () => {
    expect(await collect(['\uFEFFid: 7\ndata: x\n\n'])).toEqual([{ data: 'x', id: '7' }]);
  });

  it('dispatches a final event that lacks the closing blank line or newline', async () => {
    expect(await collect(['data: a\n\ndata: [DONE]'])).toEqual([{ data: 'a' }, { data: '[DONE]' }]);
    expect(await collect(['data: a\n\ndata: b\n'])).toEqual([{ data: 'a' }, { data: 'b' }]);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: tick\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    let seen = 0;
    for await (const event of parseSse(body)) {
      expect(event.data).toBe('tick');
      if (++seen === 3) break;
    }
    expect(cancelled).toBe(true);
  });
});
