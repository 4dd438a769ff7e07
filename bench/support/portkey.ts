// Portkey's open-source gateway (1.15.2), installed outside this repository for side-by-side runs.
// Its runtime dependencies are pinned to its own lockfile's versions: with a newer @hono/node-server
// every streamed answer through it is an HTTP 500 ("TypeError: immutable").
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

const VERSION = '1.15.2';
const PINS = { '@hono/node-server': '1.13.5', hono: '4.9.7' };

/** Installs the gateway into `dir` unless it is there; returns the server entry point. */
export function ensurePortkey(dir = process.env['BENCH_PORTKEY_DIR'] ?? join(homedir(), '.cache', 'llm-router-bench', 'portkey')): string {
  const entry = join(dir, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
  if (existsSync(entry)) return entry;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'portkey-bench', private: true, dependencies: { '@portkey-ai/gateway': VERSION }, overrides: PINS,
  }, null, 2));
  console.error(`installing @portkey-ai/gateway ${VERSION} into ${dir} ...`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  return entry;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the gateway on a free port with the same Node as this process; resolves once it answers. */
export async function startPortkey(): Promise<{ url: string; process: ChildProcess; close(): void }> {
  const entry = ensurePortkey();
  const port = await freePort();
  const child = spawn(process.execPath, [entry, `--port=${port}`, '--headless'], {
    stdio: 'ignore',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
      return { url, process: child, close: () => child.kill() };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill();
  throw new Error('Portkey did not start');
}
