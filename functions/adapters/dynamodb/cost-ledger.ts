// CostLedger on DynamoDB: one item per billable call, written once whatever the retries.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { costKeys } from '#contracts/tables.ts';
import type { CostLedger, CostRecord } from '#core/ports.ts';

export class DynamoCostLedger implements CostLedger {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async record(record: CostRecord): Promise<void> {
    const item = {
      pk: costKeys.pk(record.tenantId),
      sk: costKeys.sk(record.timestamp, record.requestId),
      day: record.timestamp.slice(0, 10),
      ...record,
    };
    try {
      await this.client.send(new PutCommand({
        TableName: this.tableName,
        Item: item,
        // A retried write of the same call must not make a second record.
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === 'ConditionalCheckFailedException') return;
      throw error;
    }
  }
}
