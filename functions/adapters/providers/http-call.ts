// A provider's JSON answer over node:http(s) with keep-alive agents. For a JSON call it costs less
// CPU than fetch (undici's request machinery and web streams were ~10 % of the router's CPU per
// request); streams keep fetch, whose web ReadableStream the SSE relay reads. The answer has the part
// of a `Response` the JSON path reads (ok, status, headers, text()), read as a Response reads it; its
// Headers object is only built when asked for (an error's Retry-After), not for every answer.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
/** Statuses whose Response cannot carry a body. */
const NO_BODY = new Set([101, 204, 205, 304]);
/** As Response.text(): UTF-8, a leading byte order mark dropped, bad bytes replaced. */
const utf8 = new TextDecoder();

/** What the JSON path reads of an answer: a `Response` has it too. */
export interface HttpAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: Headers;
  text(): Promise<string>;
}

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
export function httpCall(call: HttpCall, signal: AbortSignal): Promise<HttpAnswer> {
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
        const body = NO_BODY.has(status) ? '' : utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
        let headers: Headers | undefined;
        resolve({
          ok: status >= 200 && status <= 299,
          status,
          get headers() { return (headers ??= headersOf(res)); },
          text: () => Promise.resolve(body),
        });
      });
    });
    req.end(call.body);
  });
}
