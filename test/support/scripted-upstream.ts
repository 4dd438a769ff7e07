// A real HTTP server whose answers each test scripts: status, headers, JSON or raw body, SSE events
// or raw byte chunks with delays, and abrupt disconnects. Lets adapter tests reproduce provider
// faults on the wire instead of mocking fetch or SDKs.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedChunk {
  data: string | Uint8Array;
  delayMs?: number;
}

export interface ScriptedSseEvent {
  event?: string;
  /** Objects are JSON-encoded; strings are sent as they are. */
  data: unknown;
  delayMs?: number;
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are JSON-encoded with a JSON content type. */
  body?: unknown;
  sse?: ScriptedSseEvent[];
  chunks?: ScriptedChunk[];
  /** Wait this long before sending the headers. */
  delayMs?: number;
  /** Destroy the socket after the scripted chunks/events instead of ending the response cleanly. */
  destroy?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
}

export interface ScriptedUpstream {
  url: string;
  requests: RecordedRequest[];
  /** Queues the answer to the next request (first in, first out). */
  enqueue(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function sseFrame(event: ScriptedSseEvent): string {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  const lines = data.split('\n').map((line) => `data: ${line}`).join('\n');
  return `${event.event ? `event: ${event.event}\n` : ''}${lines}\n\n`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

async function answer(res: ServerResponse, script: ScriptedResponse): Promise<void> {
  if (script.delayMs) await sleep(script.delayMs);
  const headers: Record<string, string> = { ...script.headers };
  let chunks: ScriptedChunk[] = script.chunks ?? [];
  if (script.sse) {
    headers['content-type'] ??= 'text/event-stream';
    chunks = script.sse.map((e) => ({ data: sseFrame(e), delayMs: e.delayMs }));
  } else if (script.body !== undefined && typeof script.body !== 'string' && !(script.body instanceof Uint8Array)) {
    headers['content-type'] ??= 'application/json';
    chunks = [{ data: JSON.stringify(script.body) }];
  } else if (script.body !== undefined) {
    chunks = [{ data: script.body as string | Uint8Array }];
  }
  res.writeHead(script.status ?? 200, headers);
  res.flushHeaders();
  for (const chunk of chunks) {
    if (chunk.delayMs) await sleep(chunk.delayMs);
    if (res.destroyed) return;
    res.write(chunk.data);
  }
  if (script.destroy) res.socket?.destroy();
  else res.end();
}

export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json });
      const script = queue.shift() ?? { status: 599, body: { error: { message: 'no scripted response left' } } };
      await answer(res, script);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...responses) => queue.push(...responses),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
