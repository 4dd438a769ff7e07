// A provider's JSON answer over node:http(s) with keep-alive agents. For a JSON call it costs less
// CPU than fetch (undici's request machinery and web streams were ~10 % of the router's CPU per
// request); streams keep fetch, whose web ReadableStream the SSE relay reads. The answer comes back as
// a `Response`, so status, headers and body are read exactly as before.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
/** Statuses whose Response cannot carry a body. */
const NO_BODY = new Set([101, 204, 205, 304]);

export interface HttpCall {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | undefined;
}

function headersOf(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/**
 * Sends the call and resolves with the whole answer. Fails as fetch does: a connection error is a
 * TypeError whose `cause` carries the system code; an abort rejects with the signal's reason.
 */
export function httpCall(call: HttpCall, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) { reject(signal.reason); return; }
    const url = new URL(call.url);
    const secure = url.protocol === 'https:';
    const headers: Record<string, string> = { ...call.headers };
    if (call.body !== undefined) headers['content-length'] = String(Buffer.byteLength(call.body));
    const req = (secure ? httpsRequest : httpRequest)(url, { method: call.method, headers, agent: secure ? agents.https : agents.http });
    const onAbort = (): void => { req.destroy(); reject(signal.reason); };
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal.removeEventListener('abort', onAbort);
    req.on('error', (error) => { settle(); reject(Object.assign(new TypeError('fetch failed'), { cause: error })); });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => { settle(); reject(Object.assign(new TypeError('terminated'), { cause: error })); });
      res.on('end', () => {
        settle();
        const status = res.statusCode ?? 0;
        resolve(new Response(NO_BODY.has(status) ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: headersOf(res) }));
      });
    });
    req.end(call.body);
  });
}
