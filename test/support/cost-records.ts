// Reads cost records straight from the cost table, as a user reading the table would. A response
// ends before its invocation does (the records are written after the last byte), so this first
// waits for the router's invocations in flight to finish.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { costKeys, costTable } from '#contracts/tables.ts';
import type { LocalStack } from '#local/local-stack.ts';

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
