// Runs the DynamoDB and SQS stand-ins in a child process. In one process they would share the
// router's event loop: under load most of the CPU went to dynalite and fauxqs serving the router,
// and their memory could not be told apart from the router's.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { envNames } from '#contracts/env.ts';

export interface StandInsOptions {
  /** dynalite's data folder; omitted keeps tables in memory. */
  dynamoPath?: string;
  /** fauxqs' data folder; omitted keeps queues in memory. */
  sqsDataDir?: string;
  /** How often expired (TTL'd) items are deleted from the DynamoDB stand-in; default 60 s. */
  ttlSweepMs?: number;
}

export interface StandInsReady {
  dynamo: { endpoint: string; tableNames: Record<string, string> };
  sqs: { endpoint: string; queueUrl: string; dlqUrl: string };
}

export interface StandInsProcess extends StandInsReady {
  pid: number;
  /** The stand-ins' memory after a full garbage collection (for benchmarks). */
  memory(): Promise<NodeJS.MemoryUsage>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./standins-child.ts', import.meta.url));
/** A child whose data folder is still locked by a previous run (killed a moment ago) is retried. */
const START_ATTEMPTS = 20;
const RETRY_MS = 250;

/** Starts the stand-ins' process and resolves once both servers listen. */
export async function startStandInsProcess(options: StandInsOptions = {}): Promise<StandInsProcess> {
  let lastError = '';
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const child = fork(CHILD, [], {
      env: { ...process.env, [envNames.standIns]: JSON.stringify(options) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // A young generation of up to 2 × 32 MB: every stored item is parsed, validated, encoded and
      // dropped, and with V8's default much of that garbage was scavenged often or promoted. With the
      // front's direct item calls (dynalite-direct.ts) it took the stand-ins' CPU per cost record from
      // 0.31–0.34 to 0.22–0.28 ms in the overhead bench (bench/README.md), and their resident memory
      // under load went down, not up (314 against 380 MB after 38,000 calls). A profiled runtime
      // (bench/support/profile-router.ts) profiles its stand-ins too.
      execArgv: ['--expose-gc', '--max-semi-space-size=32', ...process.execArgv.filter((arg) => arg.startsWith('--cpu-prof'))],
    });
    const started = await waitForReady(child);
    if ('ready' in started) return handle(child, started.ready);
    lastError = started.error;
    if (!options.dynamoPath && !options.sqsDataDir) break;
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  throw new Error(`The local DynamoDB/SQS stand-ins did not start: ${lastError}`);
}

function waitForReady(child: ChildProcess): Promise<{ ready: StandInsReady } | { error: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  return new Promise((resolve) => {
    child.once('message', (message: { ready?: StandInsReady; error?: string }) => {
      resolve(message.ready ? { ready: message.ready } : { error: message.error ?? 'unknown error' });
    });
    child.once('exit', (code) => resolve({ error: stderr.trim() || `exited with code ${String(code)}` }));
  });
}

function handle(child: ChildProcess, ready: StandInsReady): StandInsProcess {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // The router's process may exit without waiting for us: the child must not keep it alive.
  child.unref();
  child.channel?.unref();
  return {
    ...ready,
    pid: child.pid!,
    memory: () => new Promise((resolve, reject) => {
      const onMessage = (message: { memory?: NodeJS.MemoryUsage }): void => {
        if (!message.memory) return;
        child.off('message', onMessage);
        resolve(message.memory);
      };
      child.on('message', onMessage);
      if (!child.connected) reject(new Error('the stand-ins process is gone'));
      else child.send('memory');
    }),
    close: async () => {
      if (child.connected) child.send('close');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
