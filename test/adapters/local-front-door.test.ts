// The local front door authenticates (and applies the usage plan) before it reads a byte of the body,
// and parses Authorization exactly as API Gateway's validation regex and the Lambda authorizer do.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBearer } from '#core/auth/api-keys.ts';
import { startLocalServer } from '#local/http-server.ts';

const KEY = `sk-lr-${'k'.repeat(43)}`;
let server: Awaited<ReturnType<typeof startLocalServer>>;
let handled = 0;
const seenHeaders: string[] = [];

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    handler: async (_event, stream) => {
      handled += 1;
      stream.end();
    },
    authorize: async (authorization) => {
      seenHeaders.push(authorization ?? '');
      return parseBearer(authorization) === KEY ? { tenantId: 't', keyId: 'k' } : undefined;
    },
    throttle: async () => ({ allowed: true }),
  });
});

afterAll(async () => {
  await server?.close();
});

/** Sends headers and a first body chunk of a (never finished) upload; resolves with the status. */
function openUpload(headers: Record<string, string>): Promise<{ status: number; bodyStillOpen: boolean }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${server.url}/v1/chat/completions`);
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers } });
    let finished = false;
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, bodyStillOpen: !finished });
      req.destroy();
    });
    req.on('error', (error) => { if (!finished) reject(error); });
    req.write('x'.repeat(64 * 1024)); // the first 64 KiB of what claims to be a huge upload
    setTimeout(() => { finished = true; }, 30_000).unref();
  });
}

describe('local front door', () => {
  it('answers 401 while an unauthenticated upload is still arriving, without calling the handler', async () => {
    const reply = await openUpload({});
    expect(reply).toEqual({ status: 401, bodyStillOpen: true });
    expect(handled).toBe(0);
  });

  // (Trailing blanks are not among them: HTTP strips them from every header value before anyone parses it.)
  it.each([`BEARER ${KEY}`, `Bearer\t${KEY}`, `Bearer  ${KEY}`, `bearer: ${KEY}`])('refuses %j as API Gateway would', async (header) => {
    const reply = await openUpload({ authorization: header });
    expect(reply.status).toBe(401);
    expect(handled).toBe(0);
  });

  it('refuses a declared body over the gateway limit before reading it', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-length': String(11 * 1024 * 1024) }, body: 'x' }).catch(() => undefined);
    // undici refuses a mismatched content-length itself; either way the handler never runs.
    if (res) expect(res.status).toBe(413);
    expect(handled).toBe(0);
  });

  it('cuts off an undeclared (chunked) body once it passes the gateway limit, without calling the handler', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const url = new URL(`${server.url}/v1/chat/completions`);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'transfer-encoding': 'chunked' } });
      req.on('response', (res) => { res.resume(); resolve(`status ${res.statusCode}`); });
      req.on('error', () => resolve('connection closed'));
      const chunk = 'x'.repeat(1024 * 1024);
      let sent = 0;
      const more = (): void => {
        while (sent < 12 && req.write(chunk)) sent += 1;
        if (sent < 12) req.once('drain', () => { sent += 1; more(); });
        else req.end();
      };
      more();
    });
    expect(['connection closed', 'status 413']).toContain(outcome);
    expect(handled).toBe(0);
  });

  it('lets the exact accepted shape through to the handler', async () => {
    const res = await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    expect(handled).toBe(1);
  });
});

describe('a client that leaves while the authorizer decides', () => {
  it('ends its invocation without calling the handler (it used to wait for a body that never came)', async () => {
    let release!: () => void;
    const authorizerWaits = new Promise<void>((resolve) => { release = resolve; });
    let authorizing!: () => void;
    const authorizerCalled = new Promise<void>((resolve) => { authorizing = resolve; });
    let calls = 0;
    const slow = await startLocalServer({
      port: 0,
      handler: async (_event, stream) => { calls += 1; stream.end(); },
      authorize: async () => { authorizing(); await authorizerWaits; return { tenantId: 't', keyId: 'k' }; },
    });
    const serverSawClose = new Promise<void>((resolve) => slow.server.once('connection', (socket) => socket.once('close', () => resolve())));
    try {
      const url = new URL(`${slow.url}/v1/chat/completions`);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } });
      req.on('error', () => undefined);
      req.end('{"model":"auto","messages":[]}');
      await authorizerCalled;
      req.destroy();
      await serverSawClose;
      release();

      const settled = await Promise.race([slow.settled().then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('still open after 10 s'), 10_000))]);
      expect(settled).toBe('settled');
      expect(calls).toBe(0);
    } finally {
      await slow.close();
    }
  });
});
