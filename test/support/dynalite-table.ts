// A one-key table on a dynalite reached through a DynaliteCall (its handler or its direct calls),
// ready for use: dynalite marks a new table ACTIVE in a timer after answering CreateTable.
import type { DynaliteCall } from '#local/dynamodb-transactions.ts';

export async function createActiveTable(call: DynaliteCall, tableName: string): Promise<void> {
  await call('CreateTable', {
    TableName: tableName, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  });
  for (;;) {
    const described = await call('DescribeTable', { TableName: tableName });
    if (described.ok && (described.body['Table'] as { TableStatus?: string }).TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
