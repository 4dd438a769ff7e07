// Memory of the local runtime under unauthenticated uploads: 60 POSTs of 10 MB without a valid key
// (the issue measured 333 -> 727 MB RSS when the front door buffered bodies before authenticating).
//   npx node bench/unauthenticated-uploads.ts
import { request } from 'node:http';
import { startLocalStack } from '#local/local-stack.ts';

const UPLOADS = 60;
const BYTES = 10 * 1024 * 1024;

function upload(url: URL, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), authorization: 'Bearer sk-lr-not-a-real-key' } });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', () => resolve(-1));
    req.end(body);
  });
}

const stack = await startLocalStack({ port: 0, env: {}, simulated: { latencyMs: 5 } });
const url = new URL(stack.baseUrl);
const body = Buffer.alloc(BYTES, 0x61);
global.gc?.();
const before = process.memoryUsage().rss;
const statuses = await Promise.all(Array.from({ length: UPLOADS }, () => upload(url, body)));
const peak = process.memoryUsage().rss;
console.log(JSON.stringify({
  uploads: UPLOADS, mbEach: BYTES / 1024 / 1024,
  statuses: Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length])),
  rssBeforeMb: Math.round(before / 1e6), rssAfterMb: Math.round(peak / 1e6),
}));
await stack.close();
