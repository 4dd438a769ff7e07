// The stand-ins' own process: dynalite and fauxqs run here, so their work (and their memory) never
// shares the router's event loop. Started by standins-process.ts; exits when its parent goes away.
import { readFileSync } from 'node:fs';
import { DynamoJobStore } from '#adapters/dynamodb/job-store.ts';
import { jobTable } from '#contracts/tables.ts';
import { envNames } from '#contracts/env.ts';
import { decideAbandonedDelivery } from '#core/batch/abandoned-delivery.ts';
import { startDynamoStandIn } from './dynamodb-standin.ts';
import { startSqsStandIn } from './sqs-standin.ts';
import { standInDocumentStore } from './stand-in-documents.ts';
import { startTtlSweeper, ttlTables } from './ttl-sweeper.ts';
import type { StandInsOptions, StandInsReady } from './standins-process.ts';

/**
 * Resident memory split into anonymous (the process's own) and file-backed pages: LevelDB maps its
 * table files into memory, and those pages count in RSS although the kernel can drop them at will.
 */
function residentSplit(): { rssAnon?: number; rssFile?: number } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name: string): number | undefined => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : undefined;
    };
    return { rssAnon: kb('RssAnon'), rssFile: kb('RssFile') };
  } catch {
    return {}; // not Linux
  }
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env[envNames.standIns] ?? '{}') as StandInsOptions;
  const dynamo = await startDynamoStandIn(options.dynamoPath ? { path: options.dynamoPath } : {});
  // Deliveries a killed previous run held are settled from their items (see sqs-standin.ts).
  const items = new DynamoJobStore(standInDocumentStore(dynamo.endpoint), dynamo.tableNames[jobTable.name]!);
  const sqs = await startSqsStandIn(options.sqsDataDir
    ? { dataDir: options.sqsDataDir, abandoned: (body) => decideAbandonedDelivery(body, items) }
    : {});
  // dynalite never expires items: without this, TTL'd items (cache, token windows, old batch jobs)
  // would grow the store for as long as the runtime runs (see ttl-sweeper.ts).
  const sweeper = startTtlSweeper({
    endpoint: dynamo.endpoint,
    tables: ttlTables(dynamo.tableNames),
    intervalMs: options.ttlSweepMs ?? 60_000,
    onError: (error) => process.stderr.write(`TTL sweep failed: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  let closing = false;
  const close = (): void => {
    if (closing) return;
    closing = true;
    sweeper.stop();
    Promise.allSettled([sqs.close(), dynamo.close()]).finally(() => process.exit(0));
  };
  // The parent closed us, stopped, or died (even by SIGKILL): the IPC channel closes in every case.
  process.on('disconnect', close);
  process.on('message', (message) => {
    if (message === 'close') close();
    // Benchmarks (bench/soak.ts) read this process's memory after a full collection.
    if (message === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ memory: { ...process.memoryUsage(), ...residentSplit() } });
    }
  });
  process.on('SIGTERM', close);
  process.on('SIGINT', () => undefined); // Ctrl-C reaches the whole group; the parent decides.
  const ready: StandInsReady = {
    dynamo: { endpoint: dynamo.endpoint, tableNames: dynamo.tableNames },
    sqs: { endpoint: sqs.endpoint, queueUrl: sqs.queueUrl, dlqUrl: sqs.dlqUrl },
  };
  process.send?.({ ready });
}

main().catch((error: unknown) => {
  process.send?.({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
