// Starts a simulated provider on a local port: the HTTP plumbing shared by the OpenAI-compatible and
// Anthropic dialects (listening, body reading, pacing, error injection, shutdown). The local runtime
// uses it when no provider keys are set; tests use it as a well-behaved upstream.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandomOrMath } from './answer-text.ts';

export interface SimulatedUpstreamOptions {
  kind: 'openai-compatible' | 'anthropic';
  port?: number;
  host?: string;
  /** Time to first token, ms. */
  latencyMs?: number;
  /** Stream pace; one piece (≈ word) per token. */
  tokensPerSecond?: number;
  /** Share of calls (0..1) that fail with a 503 in the provider's error shape. */
  errorRate?: number;
  seed?: number;
}

export interface SimulatedUpstream {
  /** Base URL: includes `/v1` for openai-compatible, the server root for anthropic. */
  url: string;
  close(): Promise<void>;
  stats: { requests: number };
}

/** What a dialect's handler gets besides the raw request. */
export interface SimulatedContext {
  body: string;
  latencyMs: number;
  tokenDelayMs: number;
  /** Draws once per call: true when this call should fail. */
  shouldFail(): boolean;
}

export type SimulatedHandler = (req: IncomingMessage, res: ServerResponse, ctx: SimulatedContext) => Promise<void>;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Writes a stream piece unless the client went away; returns false once it has. */
export function writeIfOpen(res: ServerResponse, text: string): boolean {
  if (res.destroyed || res.writableEnded) return false;
  res.write(text);
  return true;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function serveSimulated(options: SimulatedUpstreamOptions, handler: SimulatedHandler, urlSuffix: string): Promise<SimulatedUpstream> {
  const random = seededRandomOrMath(options.seed);
  const errorRate = Math.min(1, Math.max(0, options.errorRate ?? 0));
  const latencyMs = options.latencyMs ?? 150;
  const tokensPerSecond = options.tokensPerSecond ?? 200;
  const stats = { requests: 0 };
  const server = createServer((req, res) => {
    stats.requests += 1;
    void (async () => {
      const body = await readBody(req);
      const ctx: SimulatedContext = {
        body,
        latencyMs,
        tokenDelayMs: tokensPerSecond > 0 ? 1000 / tokensPerSecond : 0,
        shouldFail: () => errorRate > 0 && random() < errorRate,
      };
      await handler(req, res, ctx);
    })().catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'simulator failure', type: 'server_error' } });
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${urlSuffix}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Picks the dialect; imported lazily so each dialect file stays independent. */
export async function startSimulatedUpstream(options: SimulatedUpstreamOptions): Promise<SimulatedUpstream> {
  if (options.kind === 'anthropic') {
    const { anthropicHandler } = await import('./anthropic-upstream.ts');
    return serveSimulated(options, anthropicHandler, '');
  }
  const { openAiHandler } = await import('./openai-upstream.ts');
  return serveSimulated(options, openAiHandler, '/v1');
}
