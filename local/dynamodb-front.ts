// The DynamoDB stand-in's HTTP front: the endpoint the runtime and the tests get. Every request goes
// to dynalite's handler unchanged (headers and body, in this process: dynalite-in-process.ts), except
// TransactWriteItems, which dynalite lacks and the front runs itself (dynamodb-transactions.ts), item
// by item through dynalite's own checks and actions (dynalite-direct.ts). So the cost ledger takes the
// same one-call transaction path locally as on AWS, not put-then-update.
//
// One write lock, held for every mutating call (single-item writes, BatchWriteItem, transactions), so
// no write interleaves with a transaction; reads pass without it (they are not isolated from a
// transaction in progress: see dynamodb-transactions.ts for what is not emulated).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynaliteInProcess } from './dynalite-in-process.ts';
import { DynaliteTransactions } from './dynamodb-transactions.ts';
import type { DynaliteCall } from './dynamodb-transactions.ts';

const PREFIX = 'DynamoDB_20120810.';
const MUTATING = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const SCHEMA_CHANGES = new Set(['CreateTable', 'DeleteTable', 'UpdateTable']);

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

/**
 * The front of `dynalite`, called in this process (dynalite-in-process.ts: no loopback HTTP hop per call);
 * `items` applies a transaction's items one by one (dynalite-direct.ts: on dynalite's store, without its
 * HTTP layer).
 */
export async function startDynamoFront(dynalite: DynaliteInProcess, items: DynaliteCall, listenPort = 0): Promise<DynamoFront> {
  const lock = new WriteLock();
  const transactions = new DynaliteTransactions(items);

  /** Hands a request's whole body to dynalite and sends its answer on (unless the client has left). */
  const answer = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    let reply: Awaited<ReturnType<DynaliteInProcess>>;
    try {
      reply = await dynalite({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body });
    } catch (error) {
      if (!res.destroyed) sendJson(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: `stand-in: ${(error as Error).message}` });
      return;
    }
    if (res.destroyed) return;
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  };

  /**
   * The request as it came, to dynalite. Its body is read first, outside the write lock, so a slow
   * upload never holds the lock; a client that leaves before its body is complete runs nothing.
   */
  const forward = async (req: IncomingMessage, res: ServerResponse, locked: boolean): Promise<void> => {
    const body = await readAll(req);
    if (body === undefined) return;
    await (locked ? lock.run(() => answer(req, res, body)) : answer(req, res, body));
  };

  const transact = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readAll(req);
    if (body === undefined) return; // the client left before its request was complete: nothing was run
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
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

  /**
   * Calls still being served, their clients gone or not: `close` waits for them, so the database is
   * never closed under a dynalite action in progress (dynalite throws from its callback then, and the
   * process dies: a TTL sweep stopped mid-delete did that).
   */
  const serving = new Set<Promise<void>>();
  const serve = (work: Promise<void>): void => {
    serving.add(work);
    void work.finally(() => serving.delete(work));
  };

  const server: Server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(PREFIX) ? target.slice(PREFIX.length) : '';
    if (operation === 'TransactWriteItems' && req.method === 'POST') {
      serve(transact(req, res));
    } else if (MUTATING.has(operation)) {
      serve(forward(req, res, true));
    } else {
      if (SCHEMA_CHANGES.has(operation)) transactions.forgetSchemas();
      serve(forward(req, res, false));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      while (serving.size > 0) await Promise.allSettled([...serving]);
    },
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

/** The whole request body; undefined when the client left before it was complete. */
async function readAll(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks);
}
