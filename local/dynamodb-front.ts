// The DynamoDB stand-in's HTTP front: the endpoint the runtime and the tests get. Every request goes
// through to dynalite unchanged (streamed, headers and all), except TransactWriteItems, which dynalite
// lacks and the front runs itself (dynamodb-transactions.ts). So the cost ledger takes the same one-call
// transaction path locally as on AWS, not put-then-update.
//
// One write lock, held for every mutating call (single-item writes, BatchWriteItem, transactions), so
// no write interleaves with a transaction; reads pass without it (they are not isolated from a
// transaction in progress: see dynamodb-transactions.ts for what is not emulated).
import { Agent, createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynaliteTransactions } from './dynamodb-transactions.ts';
import type { DynaliteCall } from './dynamodb-transactions.ts';

const PREFIX = 'DynamoDB_20120810.';
const MUTATING = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const SCHEMA_CHANGES = new Set(['CreateTable', 'DeleteTable', 'UpdateTable']);
// dynalite checks that a signature is present, never that it is right.
const INTERNAL_AUTH = 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';

export interface DynamoFront {
  endpoint: string;
  close(): Promise<void>;
}

/** Serialises async work: each task starts after the previous one settled. */
class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export async function startDynamoFront(backend: { host: string; port: number }, listenPort = 0): Promise<DynamoFront> {
  const agent = new Agent({ keepAlive: true });
  const lock = new WriteLock();

  const call: DynaliteCall = (operation, input) => new Promise((resolve, reject) => {
    const body = JSON.stringify(input);
    const outgoing = request({
      host: backend.host, port: backend.port, method: 'POST', path: '/', agent,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(body),
        'x-amz-target': PREFIX + operation,
        'x-amz-date': '20260101T000000Z',
        authorization: INTERNAL_AUTH,
      },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
          resolve(response.statusCode === 200 ? { ok: true, body: parsed } : { ok: false, status: response.statusCode ?? 500, body: parsed });
        } catch (error) {
          reject(error);
        }
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
  const transactions = new DynaliteTransactions(call);

  /** The request as it came, streamed to dynalite; settles when the answer has been sent on. */
  const forward = (req: IncomingMessage, res: ServerResponse): Promise<void> => new Promise((resolve) => {
    const outgoing = request({ host: backend.host, port: backend.port, method: req.method, path: req.url, headers: req.headers, agent }, (response) => {
      res.writeHead(response.statusCode ?? 500, response.headers);
      response.pipe(res);
      response.on('end', () => resolve());
      response.on('error', () => resolve());
    });
    // A client that leaves mid-call must not hold the write lock: its call to dynalite is dropped.
    res.on('close', () => {
      if (!res.writableFinished) outgoing.destroy();
      resolve();
    });
    outgoing.on('error', (error) => {
      if (!res.headersSent) sendJson(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: `stand-in: ${error.message}` });
      else res.destroy();
      resolve();
    });
    req.pipe(outgoing);
  });

  const transact = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    let input: Record<string, unknown>;
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client left before its request was complete: nothing was run
    }
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      sendJson(res, 400, { __type: 'com.amazon.coral.service#SerializationException' });
      return;
    }
    try {
      const answer = await lock.run(() => transactions.transactWrite(input));
      sendJson(res, answer.status, answer.body);
    } catch (error) {
      sendJson(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: `stand-in: ${(error as Error).message}` });
    }
  };

  const server: Server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(PREFIX) ? target.slice(PREFIX.length) : '';
    if (operation === 'TransactWriteItems' && req.method === 'POST') {
      void transact(req, res);
    } else if (MUTATING.has(operation)) {
      void lock.run(() => forward(req, res));
    } else {
      if (SCHEMA_CHANGES.has(operation)) transactions.forgetSchemas();
      void forward(req, res);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      agent.destroy();
    }),
  };
}

function sendJson(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  const type = String(body['__type'] ?? '').split('#').pop();
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    ...(type ? { 'x-amzn-errortype': type } : {}),
  });
  res.end(text);
}
