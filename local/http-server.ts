// The local front door: what API Gateway does in AWS (authorizer, proxy event, streamed response),
// in front of the very same handlers: the router, and the jobs function for the paths API Gateway
// sends to it (/v1/batches, /v1/files).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { Principal } from '#core/auth/ports.ts';
import { logWhenDone } from './access-log.ts';
import { apiGatewayEvent } from './api-gateway-event.ts';
import { PreludeParser } from './awslambda-shim.ts';
import { lambdaContext } from './lambda-context.ts';

/** API Gateway's own payload limit: bodies over it never reach the Lambda. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export type StreamingLambda = (event: APIGatewayProxyEvent, responseStream: Writable, context: Context) => Promise<unknown>;

/** The usage plan's verdict on one request: let it through, or refuse it as API Gateway would (429). */
export type ThrottleVerdict =
  | { allowed: true }
  | { allowed: false; status: 429; code: 'rate_limit_exceeded' | 'insufficient_quota'; message: string; headers: Record<string, string> };

/** A function other than the router behind some of the API's paths, as an API Gateway integration. */
export interface LocalRoute {
  /** Its name in the Lambda context (`llm-router-local-<name>`). */
  name: string;
  matches(path: string): boolean;
  handler: StreamingLambda;
}

export interface LocalServerOptions {
  /** The router: every path no route claims. */
  handler: StreamingLambda;
  routes?: readonly LocalRoute[];
  /** Resolves `Authorization: Bearer <key>` to a caller, as the Lambda authorizer does in AWS. */
  authorize(authorization: string | undefined): Promise<Principal | undefined>;
  /** The caller's usage plan (requests per second, burst, monthly quota), as API Gateway applies it. */
  throttle?(principal: Principal): Promise<ThrottleVerdict>;
  host?: string;
  port?: number;
  /** Milliseconds the handler may run, like the Lambda timeout. */
  timeoutMs?: number;
  /** Receives one access-log line per request (see access-log.ts); omitted: no access log. */
  accessLog?: (line: string) => void;
}

function gatewayError(res: ServerResponse, status: number, message: string, type: string, code: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message, type, param: null, code } }));
}

/** Answers before the body was read: the connection closes and whatever the client still sends is discarded unbuffered. */
function refuseUnread(req: IncomingMessage, res: ServerResponse, status: number, message: string, type: string, code: string, headers: Record<string, string> = {}): void {
  gatewayError(res, status, message, type, code, { connection: 'close', ...headers });
  req.resume();
}

/** The whole body, or undefined past the gateway's limit. Plain listeners: an async iterator costs a promise per chunk. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    // A client that left while the authorizer or the usage plan decided: its 'close' has already
    // fired, and no 'data' or 'end' will ever come (waiting would leave the invocation open for good).
    if (req.destroyed) {
      reject(new Error('the client closed the request before its body was read'));
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (part: Buffer): void => {
      size += part.length;
      if (size > GATEWAY_MAX_BODY_BYTES) {
        done();
        // As API Gateway: the upload is cut off, not read to its end.
        req.destroy();
        resolve(undefined);
        return;
      }
      parts.push(part);
    };
    const onEnd = (): void => { done(); resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts)); };
    const onError = (error: Error): void => { done(); reject(error); };
    // A client that leaves mid-body without an error event: the request is over all the same.
    const onClose = (): void => { if (!req.complete) onError(new Error('the client closed the request before its body was complete')); };
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}


/** `Authorization: Bearer <key>`, or Anthropic's `x-api-key: <key>` as the authorizer accepts it. */
function credential(req: IncomingMessage): string | undefined {
  const apiKey = req.headers['x-api-key'];
  if (req.headers.authorization || typeof apiKey !== 'string' || apiKey === '') return req.headers.authorization;
  return `Bearer ${apiKey}`;
}

async function serve(options: LocalServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (options.accessLog) logWhenDone(req, res, options.accessLog);
  // As API Gateway does: the authorizer and the usage plan decide before a byte of the body is read,
  // so an unauthenticated or throttled caller cannot make the process buffer anything.
  const principal = await options.authorize(credential(req));
  if (!principal) {
    refuseUnread(req, res, 401, 'Missing or invalid API key. Send Authorization: Bearer <key>.', 'authentication_error', 'invalid_api_key');
    return;
  }
  const verdict = options.throttle ? await options.throttle(principal) : { allowed: true as const };
  if (!verdict.allowed) {
    const type = verdict.code === 'insufficient_quota' ? 'insufficient_quota' : 'rate_limit_error';
    refuseUnread(req, res, verdict.status, verdict.message, type, verdict.code, verdict.headers);
    return;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > GATEWAY_MAX_BODY_BYTES) {
    refuseUnread(req, res, 413, 'Request body exceeds the 10 MB API Gateway limit.', 'invalid_request_error', 'request_too_large');
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    gatewayError(res, 413, 'Request body exceeds the 10 MB API Gateway limit.', 'invalid_request_error', 'request_too_large');
    req.resume();
    return;
  }
  const event = apiGatewayEvent(req, body, principal);
  // A JSON answer's bytes are passed on once per turn of the event loop, so its headers, body and
  // end leave in one socket write instead of three; an event stream's chunks go out at once (the
  // headers with the first). The handler writes its prelude only once it has the answer or a
  // stream's first chunk, so not flushing the headers on their own delays nothing. An answer whose
  // bytes all came in one turn goes out with a Content-Length instead of chunked framing.
  let pending: Buffer[] = [];
  let flushing = false;
  let eventStream = false;
  let head: { status: number; headers: Record<string, string> } | undefined;
  const writeHead = (length?: number): void => {
    if (!head) return;
    const { status, headers } = head;
    head = undefined;
    const framed = length === undefined || status === 204 || status === 304 || Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
    res.writeHead(status, framed ? headers : { ...headers, 'content-length': String(length) });
  };
  const flush = (): void => {
    flushing = false;
    if (pending.length === 0 || res.writableEnded) return;
    writeHead();
    res.write(pending.length === 1 ? pending[0] : Buffer.concat(pending));
    pending = [];
  };
  const sink = new PreludeParser({
    onPrelude: (meta) => {
      eventStream = /^text\/event-stream/i.test(meta.headers?.['content-type'] ?? '');
      head = { status: meta.statusCode ?? 200, headers: meta.headers ?? {} };
      if (eventStream) writeHead();
    },
    onBody: (chunk) => {
      if (eventStream) {
        res.write(chunk);
        return;
      }
      pending.push(chunk);
      if (!flushing) {
        flushing = true;
        setImmediate(flush);
      }
    },
    onEnd: () => {
      const rest = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      if (head) writeHead(rest.length);
      res.end(rest.length > 0 ? rest : undefined);
    },
  });
  res.on('close', () => { if (!sink.writableFinished) sink.destroy(); });
  const target = options.routes?.find((r) => r.matches(event.path)) ?? { name: 'router', handler: options.handler };
  try {
    await target.handler(event, sink, lambdaContext(`llm-router-local-${target.name}`, event.requestContext.requestId, options.timeoutMs ?? 900_000));
  } catch (error) {
    if (!res.headersSent) {
      gatewayError(res, 502, `The ${target.name} function failed.`, 'server_error', 'lambda_error');
    } else if (!res.writableEnded) {
      res.destroy(error as Error);
    }
  }
}

/** Starts the local front door; resolves once it listens. */
export async function startLocalServer(options: LocalServerOptions): Promise<{ server: Server; url: string; settled(): Promise<void>; close(): Promise<void> }> {
  // Invocations still running: a response ends before its invocation does (bookkeeping runs after it).
  const running = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const invocation = serve(options, req, res).catch(() => {
      if (!res.headersSent) gatewayError(res, 500, 'Local gateway failure.', 'server_error', 'gateway_error');
      else res.destroy();
    });
    running.add(invocation);
    void invocation.then(() => running.delete(invocation));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    settled: async () => {
      while (running.size > 0) await Promise.all([...running]);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
