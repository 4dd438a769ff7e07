// A pass-through HTTP proxy in front of the DynamoDB stand-in that notes every store call (its
// operation and when it was sent), so the overhead bench can tell how many round trips a request
// kind makes and when each happens relative to the upstream call and the response.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoreCall {
  operation: string;
  /** The table the call names (first one for batch operations), for telling the kinds of writes apart. */
  table: string;
  at: number;
  /** When the stand-in's answer had passed back through the proxy (0 until then). */
  done: number;
}

/** Starts the proxy; `calls` fills as requests pass. */
export async function startStoreProxy(target: string): Promise<{ url: string; calls: StoreCall[]; close(): Promise<void> }> {
  const calls: StoreCall[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const call: StoreCall = { operation: target.split('.').pop() ?? target, table: '', at: performance.timeOrigin + performance.now(), done: 0 };
    calls.push(call);
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.on('end', () => { call.done = performance.timeOrigin + performance.now(); });
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => { parts.push(part); forward.write(part); });
    req.on('end', () => {
      forward.end();
      const text = Buffer.concat(parts).toString('utf8');
      call.table = /"TableName":"([^"]+)"/.exec(text)?.[1] ?? /"RequestItems":\{"([^"]+)"/.exec(text)?.[1] ?? '';
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
