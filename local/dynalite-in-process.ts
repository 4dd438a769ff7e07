// dynalite's request handler called inside the stand-ins' process, without a loopback HTTP round trip
// per call: the front (dynamodb-front.ts) hands it a call's headers and body and gets its status,
// headers and body back. On this machine that hop (a client request, a server parse, two socket
// writes) was about a fifth of the stand-ins' busy time in a CPU profile under load. dynalite's handler (its index.js,
// `httpHandler`) reads only the request's method, url, headers and its 'data'/'end' events, and writes
// `statusCode`, `setHeader` and one `end(body)`; this is exactly that surface.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Server } from 'node:http';

export interface DynaliteAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface DynaliteCallInput {
  method: string;
  url: string;
  /** Lower-case names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type DynaliteInProcess = (call: DynaliteCallInput) => Promise<DynaliteAnswer>;

/** The in-process caller of dynalite's server (the server keeps its DB; it need not be called over HTTP). */
export function dynaliteInProcess(server: Server): DynaliteInProcess {
  const [handler] = server.listeners('request') as RequestListener[];
  if (!handler) throw new Error('dynalite server has no request handler');
  return ({ method, url, headers, body }) => new Promise<DynaliteAnswer>((resolve, reject) => {
    const req = Object.assign(new EventEmitter(), { method, url, headers });
    const answerHeaders: Record<string, string> = {};
    const res = {
      statusCode: 200,
      contentType: undefined as string | undefined,
      shouldKeepAlive: true,
      setHeader(name: string, value: string | number): void {
        answerHeaders[name.toLowerCase()] = String(value);
      },
      end(text?: string | Buffer): void {
        resolve({ status: res.statusCode, headers: answerHeaders, body: text === undefined ? '' : String(text) });
      },
    };
    try {
      handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
      req.emit('data', body);
      req.emit('end');
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
