// The router's side of bench/soak.ts: the local runtime (router plus its stand-ins' process) in a
// process of its own, started with --expose-gc so that memory is read after full collections.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { startLocalStack } from '#local/local-stack.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const dataDir = process.env['SOAK_DATA_DIR'] === '1' ? mkdtempSync(join(tmpdir(), 'llm-router-soak-')) : undefined;

const stack = await startLocalStack({
  port: 0,
  env: {},
  ...(dataDir ? { dataDir } : {}),
  simulated: { latencyMs: 1, tokensPerSecond: 20_000, errorRate: Number(process.env['SOAK_ERROR_RATE'] ?? 0.1) },
});

// SOAK_SNAPSHOTS=<folder>: the router's heap snapshot after each round, to compare with
// bench/support/heap-diff.ts (what grew, by constructor).
const snapshots = process.env['SOAK_SNAPSHOTS'];
let measured = 0;

process.on('message', (message) => {
  if (message === 'measure') {
    // Two passes: the first may only schedule finalizers whose objects the second frees.
    gc();
    gc();
    const router = process.memoryUsage();
    if (snapshots) writeHeapSnapshot(join(snapshots, `router-${String(measured).padStart(2, '0')}.heapsnapshot`));
    measured += 1;
    stack.standInsMemory().then((standIns) => process.send?.({ router, standIns }), (error: unknown) => process.send?.({ error: String(error) }));
  }
  if (message === 'close') void stack.close().finally(() => process.exit(0));
});
process.send?.({ ready: { baseUrl: stack.baseUrl, apiKey: stack.apiKey, dataDir: dataDir ?? null } });
