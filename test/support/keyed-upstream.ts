// An upstream that checks the API key as a real provider does: requests without the accepted key get
// OpenAI's 401 (invalid_api_key); the others are passed on to a simulated upstream. Records the key
// of every request, so a test can tell which key a function used.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KeyedUpstream {
  /** Base URL including `/v1`, like the simulated openai-compatible upstream. */
  url: string;
  /** The only key answered; change it to simulate a rotation at the provider. */
  accepted: string;
  readonly seen: Array<{ path: string; key: string | undefined; status: number }>;
  close(): Promise<void>;
}

export async function startKeyedUpstream(target: string, accepted: string): Promise<KeyedUpstream> {
  const seen: KeyedUpstream['seen'] = [];
  const targetUrl = new URL(target);
  const upstream: KeyedUpstream = { url: '', accepted, seen, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (part: Buffer) => chunks.push(part));
    req.on('end', async () => {
      const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const path = req.url ?? '/';
      if (key !== upstream.accepted) {
        seen.push({ path, key, status: 401 });
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
        return;
      }
      seen.push({ path, key, status: 200 });
      const answer = await fetch(new URL(path, `${targetUrl.origin}`), {
        method: req.method ?? 'GET',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  upstream.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return upstream;
}
