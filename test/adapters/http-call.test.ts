// httpCall (the JSON path's node:http call) reads an answer as fetch's Response does: the same
// status, ok, text (byte order mark dropped, bad bytes replaced) and headers, against a local server.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCall } from '#adapters/providers/http-call.ts';

const answers: Record<string, { status: number; headers: Array<[string, string]>; body: Buffer }> = {
  '/bom': { status: 200, headers: [['content-type', 'application/json']], body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é"}')]) },
  '/bad-bytes': { status: 200, headers: [], body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) },
  '/limited': { status: 429, headers: [['retry-after', '7'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-request-id', 'r1']], body: Buffer.from('{"error":{"message":"slow down"}}') },
  '/empty': { status: 204, headers: [], body: Buffer.alloc(0) },
  '/chunked': { status: 200, headers: [], body: Buffer.from('x'.repeat(200_000)) },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = answers[req.url ?? '']!;
    res.statusCode = answer.status;
    for (const [name, value] of answer.headers) res.appendHeader(name, value);
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('httpCall', () => {
  it.each(Object.keys(answers))('reads %s as fetch does', async (path) => {
    const mine = await httpCall({ url: `${base}${path}`, method: 'GET', headers: {} }, new AbortController().signal);
    const theirs = await fetch(`${base}${path}`);

    expect({ ok: mine.ok, status: mine.status }).toEqual({ ok: theirs.ok, status: theirs.status });
    expect(await mine.text()).toBe(await theirs.text());
    for (const name of ['retry-after', 'set-cookie', 'x-request-id', 'content-type']) expect(mine.headers.get(name)).toBe(theirs.headers.get(name));
    expect(mine.headers.getSetCookie()).toEqual(theirs.headers.getSetCookie());
  });
});
