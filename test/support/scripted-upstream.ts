// A real HTTP server whose answers each test scripts: status, headers, JSON or raw body, SSE events
// or raw byte chunks with delays, and abrupt disconnects. Lets adapter tests reproduce provider
// faults on the wire instead of mocking fetch or SDKs.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createH2cServer } from 'node:http2';
import type { Http2ServerRequest, Http2ServerResponse, ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { useForSuite } from './use-for-suite.ts';

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
  /** Destroy the socket at once, before any status line or header is sent (a reset connection). */
  resetBeforeHeaders?: boolean;
  /** Never answer at all: no headers, no body, until the client gives up or the server closes. */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'] | Http2ServerRequest['headers'];
  body: string;
  json: unknown;
}

export interface ScriptedUpstream {
  url: string;
  requests: RecordedRequest[];
  /** Responses the client hung up on before they were complete. */
  readonly clientAborts: number;
  /** Queues the answer to the next request (first in, first out); a function answers from the request. */
  enqueue(...responses: Array<ScriptedResponse | ((request: RecordedRequest) => ScriptedResponse)>): void;
  /** Scripted responses not used yet. */
  readonly pending: number;
  /** Drops the scripted responses not used yet. */
  clear(): void;
  /** Health probes (`GET .../models`) answered outside the queue, with `answerProbes`. */
  readonly probes: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function sseFrame(event: ScriptedSseEvent): string {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  const lines = data.split('\n').map((line) => `data: ${line}`).join('\n');
  return `${event.event ? `event: ${event.event}\n` : ''}${lines}\n\n`;
}

async function readBody(req: IncomingMessage | Http2ServerRequest): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

type AnyResponse = ServerResponse | Http2ServerResponse;
const gone = (res: AnyResponse): boolean => ('stream' in res ? res.stream.destroyed : res.destroyed);

async function answer(res: AnyResponse, script: ScriptedResponse): Promise<void> {
  if (script.hang) {
    await new Promise<void>((resolve) => res.on('close', () => resolve()));
    return;
  }
  if (script.resetBeforeHeaders) {
    if ('stream' in res) res.stream.close(2);
    else res.socket?.destroy();
    return;
  }
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
  // The HTTP/1 and HTTP/2 compat responses share these methods but not one declared type.
  const out = res as unknown as { writeHead(status: number, h: Record<string, string>): void; write(d: string | Uint8Array): void; end(): void; flushHeaders?(): void };
  out.writeHead(script.status ?? 200, headers);
  out.flushHeaders?.();
  for (const chunk of chunks) {
    if (chunk.delayMs) await sleep(chunk.delayMs);
    if (gone(res)) return;
    out.write(chunk.data);
  }
  if (!script.destroy) out.end();
  else if ('stream' in res) res.stream.close(2); // NGHTTP2_INTERNAL_ERROR
  else res.socket?.destroy();
}

/**
 * `http2: true` serves cleartext HTTP/2 (h2c with prior knowledge), which is what the AWS SDK's
 * default NodeHttp2Handler speaks. `answerProbes: true` answers `GET .../models` (the health
 * check's probe) with an empty model list without touching the queue or `requests`, so a router
 * whose health check probes this upstream does not eat the responses a test scripted.
 */
export async function startScriptedUpstream(options: { http2?: boolean; answerProbes?: boolean } = {}): Promise<ScriptedUpstream> {
  const queue: Array<ScriptedResponse | ((request: RecordedRequest) => ScriptedResponse)> = [];
  const requests: RecordedRequest[] = [];
  let clientAborts = 0;
  let probes = 0;
  const handle = (req: IncomingMessage | Http2ServerRequest, res: AnyResponse): void => {
    void (async () => {
      const body = await readBody(req);
      if (options.answerProbes && req.method === 'GET' && /\/models(\?|$)/.test(req.url ?? '')) {
        probes += 1;
        await answer(res, { body: { object: 'list', data: [] } });
        return;
      }
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
      requests.push(recorded);
      res.on('close', () => {
        if (!res.writableFinished) clientAborts += 1;
      });
      const next = queue.shift() ?? { status: 599, body: { error: { message: 'no scripted response left' } } };
      await answer(res, typeof next === 'function' ? next(recorded) : next);
    })().catch(() => ('stream' in res ? res.stream.destroy() : res.destroy()));
  };
  const sessions = new Set<ServerHttp2Session>();
  const server = options.http2 ? createH2cServer(handle) : createServer(handle);
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get clientAborts() {
      return clientAborts;
    },
    enqueue: (...responses) => queue.push(...responses),
    get pending() {
      return queue.length;
    },
    clear: () => {
      queue.length = 0;
    },
    get probes() {
      return probes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A scripted upstream for the tests of the calling `describe` block (or file), closed after them. */
export function useScriptedUpstream(options: Parameters<typeof startScriptedUpstream>[0] = {}): ScriptedUpstream {
  return useForSuite(() => startScriptedUpstream(options), (upstream) => upstream.close());
}
