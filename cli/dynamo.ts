// DynamoDB for the commands: AWS by default; with --local, the local runtime's DynamoDB, found in
// this order: --endpoint (or AWS_ENDPOINT_URL_DYNAMODB); the running `npm start` described in
// <data dir>/runtime.json; else the data folder itself (.local-data/dynamodb), opened directly,
// which works only while no `npm start` holds it.
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DataFolderInUseError, startDynamoStandIn } from '#local/dynamodb-standin.ts';
import { findRunningRuntime, runtimeFilePath } from '#local/runtime-file.ts';
import { envNames } from '#contracts/env.ts';

export const LOCAL_TABLE_PREFIX = 'llm-router-local-';
export const DEFAULT_DATA_DIR = '.local-data';

export interface DynamoTarget {
  raw: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  /** Physical table names by logical name, when known (local runtime). */
  localTables?: Record<string, string>;
  /** Where the data came from, for messages: `AWS`, `npm start (pid 123)`, a folder or an endpoint. */
  source: string;
  close(): Promise<void>;
}

export interface DynamoTargetOptions {
  local?: boolean;
  endpoint?: string;
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
}

/** The data folder of the local runtime: --data-dir, else ROUTER_DATA_DIR, else `.local-data`. */
export function localDataDir(options: { dataDir?: string; env?: NodeJS.ProcessEnv }): string {
  return options.dataDir ?? options.env?.[envNames.dataDir] ?? DEFAULT_DATA_DIR;
}

export async function dynamoTarget(options: DynamoTargetOptions): Promise<DynamoTarget> {
  const env = options.env ?? process.env;
  let endpoint = options.endpoint ?? (options.local ? env[envNames.dynamoEndpoint] : undefined);
  let stop = async (): Promise<void> => undefined;
  let localTables: Record<string, string> | undefined;
  let source = endpoint ?? 'AWS';
  if (options.local && !endpoint) {
    const dataDir = localDataDir({ ...options, env });
    const running = findRunningRuntime(dataDir);
    if (running) {
      endpoint = running.dynamodb.endpoint;
      localTables = running.dynamodb.tables;
      source = `the running local runtime (npm start, pid ${running.pid})`;
    } else {
      const folder = join(dataDir, 'dynamodb');
      const standIn = await startDynamoStandIn({ path: folder }).catch((error: unknown) => {
        const reason = error instanceof DataFolderInUseError ? 'another process holds it' : (error as Error).message;
        throw new Error(
          `could not open ${resolve(folder)} (${reason}), and ${runtimeFilePath(dataDir)} names no running npm start; `
          + 'pass --endpoint <the DynamoDB endpoint in its banner>, or stop the other process', { cause: error },
        );
      });
      endpoint = standIn.endpoint;
      localTables = standIn.tableNames;
      stop = standIn.close;
      source = `the local data folder ${resolve(dataDir)} (npm start is not running)`;
    }
  }
  const local = options.local || endpoint !== undefined;
  const raw = new DynamoDBClient({
    ...(endpoint ? { endpoint } : {}),
    ...(local ? { region: env[envNames.awsRegion] ?? 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    // A stopped runtime should fail fast, not after the SDK's retries.
    ...(local ? { maxAttempts: 1 } : {}),
  });
  const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return {
    raw,
    documents,
    source,
    ...(localTables ? { localTables } : {}),
    close: async () => { raw.destroy(); await stop(); },
  };
}

/** The physical name of a table: --table, else the local runtime's, else the env var (AWS). */
export function tableName(target: DynamoTarget, logical: { name: string; envVar: string }, options: { table?: string; local?: boolean; env: NodeJS.ProcessEnv }): string {
  if (options.table) return options.table;
  if (options.local) return target.localTables?.[logical.name] ?? LOCAL_TABLE_PREFIX + logical.name;
  const fromEnv = options.env[logical.envVar];
  if (!fromEnv) throw new Error(`no table: pass --table <name>, set ${logical.envVar} (the stack's output), or add --local for the local runtime`);
  return fromEnv;
}
