// DynamoDB's time to live, for the local stand-in: dynalite stores TTL'd items forever (it has no
// UpdateTimeToLive and never deletes), so cache entries, token-per-minute windows and finished batch
// jobs would pile up in a runtime that runs for weeks (in memory: all of it in the stand-ins' heap).
// Like the service, a sweep deletes items whose TTL attribute (epoch seconds) has passed, some time
// after it passed; readers already treat expired items as absent, as they must with DynamoDB. Each
// delete is conditional on the item still being expired, so an item written again meanwhile stays.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { allTables } from '#contracts/tables.ts';
import type { TableDefinition } from '#contracts/tables.ts';

export interface TtlTable { tableName: string; partitionKey: string; sortKey?: string; ttlAttribute: string }

/** The contract tables that declare a TTL attribute, by their physical names. */
export function ttlTables(tableNames: Record<string, string>, tables: readonly TableDefinition[] = allTables): TtlTable[] {
  return tables.flatMap((table) => (table.ttlAttribute && tableNames[table.name]
    ? [{ tableName: tableNames[table.name]!, partitionKey: table.partitionKey, ...(table.sortKey ? { sortKey: table.sortKey } : {}), ttlAttribute: table.ttlAttribute }]
    : []));
}

/** Deletes the expired items of each table once; returns how many were deleted. */
export async function sweepExpiredItems(documents: DynamoDBDocumentClient, tables: readonly TtlTable[], nowSeconds: number): Promise<number> {
  let deleted = 0;
  for (const table of tables) {
    const keyNames = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new ScanCommand({
        TableName: table.tableName,
        // Pages of a bounded size: a sweep never holds a large table in memory at once.
        Limit: 500,
        ProjectionExpression: keyNames.map((_, i) => `#k${i}`).join(', '),
        FilterExpression: '#ttl < :now',
        ExpressionAttributeNames: { '#ttl': table.ttlAttribute, ...Object.fromEntries(keyNames.map((name, i) => [`#k${i}`, name])) },
        ExpressionAttributeValues: { ':now': nowSeconds },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }));
      for (const key of page.Items ?? []) {
        try {
          await documents.send(new DeleteCommand({
            TableName: table.tableName,
            Key: key,
            ConditionExpression: '#ttl < :now',
            ExpressionAttributeNames: { '#ttl': table.ttlAttribute },
            ExpressionAttributeValues: { ':now': nowSeconds },
          }));
          deleted += 1;
        } catch (error) {
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return deleted;
}

export interface TtlSweeper { stop(): void }

/** Sweeps every `intervalMs` (one sweep at a time); errors are reported and the next sweep tries again. */
export function startTtlSweeper(options: {
  endpoint: string;
  tables: readonly TtlTable[];
  intervalMs: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}): TtlSweeper {
  const raw = new DynamoDBClient({ endpoint: options.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const documents = DynamoDBDocumentClient.from(raw);
  const now = options.now ?? Date.now;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepExpiredItems(documents, options.tables, Math.floor(now() / 1000))
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => { running = false; });
  }, options.intervalMs);
  // Never the reason the stand-ins' process stays alive.
  timer.unref();
  return { stop: () => { clearInterval(timer); raw.destroy(); } };
}
