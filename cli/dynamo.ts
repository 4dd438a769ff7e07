// DynamoDB for the commands: AWS by default; with --local, the local runtime's DynamoDB: the endpoint
// given (--endpoint or AWS_ENDPOINT_URL_DYNAMODB, e.g. a running `npm start`), else the data folder
// of `npm start` (.local-data/dynamodb) opened directly, which needs `npm start` to be stopped.
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoStandIn } from '#local/dynamodb-standin.ts';

export const LOCAL_TABLE_PREFIX = 'llm-router-local-';

export interface DynamoTarget {
  raw: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  /** Physical table names by logical name, when known (local runtime). */
  localTables?: Record<string, string>;
  close(): Promise<void>;
}

export interface DynamoTargetOptions {
  local?: boolean;
  endpoint?: string;
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
}

export async function dynamoTarget(options: DynamoTargetOptions): Promise<DynamoTarget> {
  const env = options.env ?? process.env;
  let endpoint = options.endpoint ?? (options.local ? env['AWS_ENDPOINT_URL_DYNAMODB'] : undefined);
  let stop = async (): Promise<void> => undefined;
  let localTables: Record<string, string> | undefined;
  if (options.local && !endpoint) {
    const standIn = await startDynamoStandIn({ path: join(options.dataDir ?? env['ROUTER_DATA_DIR'] ?? '.local-data', 'dynamodb') })
      .catch((error: unknown) => {
        throw new Error('could not open the local data folder; is `npm start` running? Then pass --endpoint <its DynamoDB endpoint>.', { cause: error });
      });
    endpoint = standIn.endpoint;
    localTables = standIn.tableNames;
    stop = standIn.close;
  }
  const local = options.local || endpoint !== undefined;
  const raw = new DynamoDBClient({
    ...(endpoint ? { endpoint } : {}),
    ...(local ? { region: env['AWS_REGION'] ?? 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return {
    raw,
    documents,
    ...(localTables ? { localTables } : {}),
    close: async () => { raw.destroy(); await stop(); },
  };
}
