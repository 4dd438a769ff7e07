// How the local front door frames what a streaming handler writes: an answer whose bytes all come in
// one turn of the event loop leaves with a Content-Length, a body written over several turns and an
// event stream leave chunked, and the bytes are the handler's in every case.
import { request } from 'node:http';
import type { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalServer } from '#local/http-server.ts';

const DELIMITER = Buffer.alloc(8);
const prelude = (statusCode: number, contentType: string): Buffer => Buffer.concat([Buffer.from(JSON.stringify({ statusCode, headers: { 'content-type': contentType } })), DELIMITER]);
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const handlers: Record<string, (stream: Writable) => Promise<void>> = {
  '/one-turn': async (stream) => {
    stream.write(prelude(200, 'application/json'));
    stream.write('{"answer":');
    stream.end('"héllo"}');
  },
  '/several-turns': async (stream) => {
    stream.write(prelude(201, 'application/json'));
    stream.write('{"part":1,');
    await nextTurn();
    await nextTurn();
    stream.end('"part2":2}');
  },
  '/events': async (stream) => {
    stream.write(prelude(200, 'text/event-stream'));
    stream.write('data: 1\n\n');
    await nextTurn();
    stream.end('data: [DONE]\n\n');
  },
  '/empty': async (stream) => {
    stream.write(prelude(204, 'application/json'));
    stream.end();
  },
};

let server: Awaited<ReturnType<typeof startLocalServer>>;

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    handler: async (event, stream) => handlers[(event as { path: string }).path]!(stream as Writable),
    authorize: async () => ({ tenantId: 't', keyId: 'k' }),
    throttle: async () => ({ allowed: true }),
  });
});

afterAll(async () => {
  await server?.close();
});

function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${server.url}${path}`);
    const req = request({ host: url.hostname, port: url.port, path, method: 'POST', headers: { authorization: 'Bearer x', 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

it('sends an answer written in one turn with its Content-Length, not chunked', async () => {
  const reply = await get('/one-turn');
  expect(reply.status).toBe(200);
  expect(reply.body).toBe('{"answer":"héllo"}');
  expect(reply.headers['content-length']).toBe(String(Buffer.byteLength(reply.body)));
  expect(reply.headers['transfer-encoding']).toBeUndefined();
  expect(reply.headers['content-type']).toBe('application/json');
});

it('sends an answer written over several turns chunked, bytes intact', async () => {
  const reply = await get('/several-turns');
  expect(reply).toMatchObject({ status: 201, body: '{"part":1,"part2":2}' });
  expect(reply.headers['transfer-encoding']).toBe('chunked');
  expect(reply.headers['content-length']).toBeUndefined();
});

it('sends an event stream chunked', async () => {
  const reply = await get('/events');
  expect(reply).toMatchObject({ status: 200, body: 'data: 1\n\ndata: [DONE]\n\n' });
  expect(reply.headers['transfer-encoding']).toBe('chunked');
});

it('sends a 204 with neither a length nor a body', async () => {
  const reply = await get('/empty');
  expect(reply).toMatchObject({ status: 204, body: '' });
  expect(reply.headers['content-length']).toBeUndefined();
});
