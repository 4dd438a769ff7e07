// One access-log line per request of the local runtime, written when the response is done:
//   2026-11-30T10:31:02.123Z POST /v1/chat/completions 200 model=gpt-5.4 attempts=1 cache=miss cost=$0.000525 812ms id=...
// Only the method, the path (no query string), the status and the router's own x-router-* response
// headers are read: never a body, a prompt, an Authorization header or a key.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

export interface AccessRecord {
  time: string;
  method: string;
  path: string;
  status: number;
  model?: string;
  attempts?: string;
  cache?: string;
  costUsd?: string;
  stream: boolean;
  latencyMs: number;
  requestId?: string;
  /** The client went away before the response was complete. */
  aborted: boolean;
}

export function formatAccessLine(r: AccessRecord): string {
  const cost = r.costUsd !== undefined ? `$${r.costUsd}` : r.stream ? '(in cost record)' : '-';
  return [
    r.time, r.method, r.path, String(r.status),
    `model=${r.model ?? '-'}`, `attempts=${r.attempts ?? '-'}`, `cache=${r.cache ?? '-'}`, `cost=${cost}`,
    ...(r.stream ? ['stream'] : []),
    `${r.latencyMs}ms`,
    ...(r.requestId ? [`id=${r.requestId}`] : []),
    ...(r.aborted ? ['aborted'] : []),
  ].join(' ');
}

/** The headers the line reads, by lower-case name, in one pass over what the response set. */
const READ = new Set(['x-router-model', 'x-router-attempts', 'x-router-cache', 'x-router-cost-usd', 'x-request-id', 'content-type']);
function readHeaders(headers: OutgoingHttpHeaders): Map<string, string | undefined> {
  const found = new Map<string, string | undefined>();
  for (const key in headers) {
    const name = key.toLowerCase();
    const value = headers[key];
    // The first of two spellings of one name wins, as a search in insertion order finds it.
    if (!READ.has(name) || found.has(name)) continue;
    found.set(name, Array.isArray(value) ? value.join(',') : value === undefined ? undefined : String(value));
  }
  return found;
}

/** Collects what the response says about itself and writes the line once it is finished or aborted. */
export function logWhenDone(req: IncomingMessage, res: ServerResponse, write: (line: string) => void, now: () => number = Date.now): void {
  const started = now();
  let headers: OutgoingHttpHeaders = {};
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const given = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null && !Array.isArray(a));
    if (given) headers = given as OutgoingHttpHeaders;
    return writeHead(...args);
  }) as typeof res.writeHead;
  let done = false;
  const finish = (aborted: boolean) => {
    if (done) return;
    done = true;
    const path = (req.url ?? '/').split('?')[0]!;
    const read = readHeaders(headers);
    const model = read.get('x-router-model');
    const attempts = read.get('x-router-attempts');
    const cache = read.get('x-router-cache');
    const costUsd = read.get('x-router-cost-usd');
    const requestId = read.get('x-request-id');
    write(formatAccessLine({
      // A client gone before the answer began is logged 499 (client closed request), as nginx logs it,
      // not the 200 a response that was never written still holds by default.
      time: new Date(started).toISOString(), method: req.method ?? '-', path, status: aborted && !res.headersSent ? 499 : res.statusCode,
      ...(model ? { model } : {}), ...(attempts ? { attempts } : {}), ...(cache ? { cache } : {}), ...(costUsd ? { costUsd } : {}),
      ...(requestId ? { requestId } : {}),
      stream: (read.get('content-type') ?? '').startsWith('text/event-stream'),
      latencyMs: Math.round(now() - started), aborted,
    }));
  };
  res.once('finish', () => finish(false));
  res.once('close', () => finish(!res.writableFinished));
}
