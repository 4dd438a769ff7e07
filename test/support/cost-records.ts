// Cost records for tests: a sample record to write (the ledger's adapter tests), and the records read
// straight from the cost table, as a user reading the table would. A response ends before its
// invocation does (the records are written after the last byte), so the reader first waits for the
// router's invocations in flight to finish.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { costKeys, costTable } from '#contracts/tables.ts';
import type { CostRecord } from '#core/pricing/ports.ts';
import type { LocalStack } from '#local/local-stack.ts';

let sequence = 0;

/** One paid call's record, each with a request id of its own; `overrides` change any field. */
export function sampleCostRecord(overrides: Partial<CostRecord> = {}): CostRecord {
  return {
    tenantId: 'acme', keyId: 'key_0123456789ab', requestId: `req-${++sequence}`, modelId: 'gpt-5.4', providerId: 'openai',
    inputTokens: 1000, outputTokens: 200, cachedInputTokens: 100, reasoningTokens: 20, costUsd: 0.00528, latencyMs: 500,
    attempts: 1, cacheHit: false, stream: false, strategy: 'balanced', timestamp: '2026-11-26T10:00:00.000Z', ...overrides,
  };
}

export async function costRecordsFor(stack: LocalStack, tenantId: string): Promise<Array<Record<string, unknown>>> {
  await stack.settled();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({
    endpoint: stack.dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }));
  try {
    const result = await client.send(new QueryCommand({
      TableName: stack.tableNames[costTable.name],
      // Call records only: budget hold items of calls in flight live under the same key.
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :call)',
      ExpressionAttributeValues: { ':pk': costKeys.pk(tenantId), ':call': 'CALL#' },
    }));
    return result.Items ?? [];
  } finally {
    client.destroy();
  }
}
