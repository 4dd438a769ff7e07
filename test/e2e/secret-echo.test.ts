// An upstream that echoes the operator's provider key in every error it sends (as "Incorrect API key
// provided: sk-...", in an HTML error page, as its error code, in a stream error event, to health
// probes): the key must appear in no response a tenant sees and in no log line, at the most verbose
// log level. One key is key-shaped (sk-ant-...), one is not (only the registered-secret redaction
// can catch it).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#local/local-stack.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { captureOutput } from '../support/output-capture.ts';
import { catalogModel, writeTempCatalog } from '../support/local-stack-fixture.ts';

const PLAIN_KEY = 'echo-provider-secret-PLAINxyz0123456789';
const SHAPED_KEY = 'sk-ant-echo-0123456789abcdefghijkl';

let upstream: Server;
let stack: LocalStack;
let client: OpenAI;
let served = 0;
const captured: string[] = [];
const restore: Array<() => void> = [];

/** Every answer is an error that repeats the credential the request carried, in a different way each time. */
function echo(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const key = String(req.headers['x-api-key'] ?? req.headers.authorization ?? '').replace(/^Bearer /, '');
  const stream = req.method === 'POST' && (req.headers.accept ?? '').includes('text/event-stream');
  const form = served++ % 5;
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  if (form === 0) return json(401, { error: { message: `Incorrect API key provided: ${key}. You can find your API key at https://example.com.`, type: 'invalid_request_error', code: 'invalid_api_key' } });
  if (form === 1) {
    res.writeHead(500, { 'content-type': 'text/html' });
    return void res.end(`<html><body><h1>500</h1><pre>Authorization: Bearer ${key}\nx-api-key: ${key}</pre></body></html>`);
  }
  if (form === 2) return json(429, { error: { message: `Rate limit for key ${key}`, type: key, code: key } }, { 'retry-after': '0', 'x-echo': key });
  if (form === 3 && stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    return void res.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: `overloaded; your key ${key}` } })}\n\n`);
  }
  return json(400, { error: { message: `bad request with credential ${key}`, type: 'invalid_request_error', code: key } });
}

beforeAll(async () => {
  upstream = createServer(echo);
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const model = catalogModel;
  const catalogPath = writeTempCatalog('secret-echo-', {
    version: 1,
    // A high failure threshold keeps the breakers closed, so every request reaches the echoing upstream.
    defaults: { circuitBreaker: { failureThreshold: 1000, minCalls: 100_000 }, failover: { retryBaseMs: 1, minBackoffMs: 1 } },
    providers: [
      { id: 'echo-plain', kind: 'openai-compatible', baseUrl: `${url}/v1`, apiKey: { env: 'ECHO_PLAIN_KEY' } },
      { id: 'echo-shaped', kind: 'anthropic', baseUrl: url, apiKey: { env: 'ECHO_SHAPED_KEY' } },
    ],
    models: [model('plain-model', 'echo-plain', ['shaped-model']), model('shaped-model', 'echo-shaped', ['plain-model'])],
  });
  restore.push(captureOutput(captured));
  stack = await startLocalStack({
    port: 0,
    catalogPath,
    env: { ECHO_PLAIN_KEY: PLAIN_KEY, ECHO_SHAPED_KEY: SHAPED_KEY, POWERTOOLS_LOG_LEVEL: 'DEBUG', ROUTER_METRICS: 'on' },
  });
  client = new OpenAI({ baseURL: stack.baseUrl, apiKey: stack.apiKey, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  for (const undo of restore.reverse()) undo();
  await stack?.close();
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
});

async function raw(path: string, init: RequestInit = {}): Promise<string> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', ...init.headers },
  });
  return `${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`;
}

describe('an upstream that echoes its key in every error', () => {
  it('leaks the key into no response and no log line', async () => {
    const responses: string[] = [];
    const ask = (model: string, stream: boolean) => raw('/chat/completions', {
      method: 'POST', body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hello' }] }),
    });
    for (let i = 0; i < 6; i++) {
      responses.push(await ask(i % 2 ? 'plain-model' : 'shaped-model', false));
      responses.push(await ask(i % 2 ? 'shaped-model' : 'plain-model', true));
    }
    responses.push(await raw('/models'), await raw('/models/plain-model'), await raw('/models/shaped-model'));
    const sdk = await client.chat.completions.create({ model: 'plain-model', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    responses.push(JSON.stringify(sdk, Object.getOwnPropertyNames(sdk ?? {})));

    expect(served).toBeGreaterThanOrEqual(12); // the upstream really was called, with the keys
    // Tenants still learn what went wrong: our words, the provider's code, the status class.
    expect(responses.join('\n')).toMatch(/invalid_api_key|HTTP 5xx|HTTP 4xx/);
    const everything = `${responses.join('\n')}\n${captured.join('\n')}`;
    expect(captured.join('\n')).toContain('provider attempt failed'); // the log capture works
    for (const key of [PLAIN_KEY, SHAPED_KEY]) {
      expect(everything).not.toContain(key);
      expect(everything).not.toContain(key.slice(0, 24));
    }
  }, 120_000);
});
