// TokenWindowStore on the usage table: one item per tenant and minute, `{ tokens, expiresAt }`, changed
// by conditional ADDs so concurrent router instances never admit more than the limit between them.
import { UpdateCommand } from '../aws/dynamodb-commands.ts';
import type { DynamoDocuments } from '../aws/dynamodb-commands.ts';
import { usageKeys } from '#contracts/tables.ts';
import type { TokenWindowStore } from '#core/limits/ports.ts';
import { isConditionFailure } from './condition-failed.ts';

/** Counters are kept an hour past their minute (TTL), then DynamoDB removes them. */
const KEEP_SECONDS = 3600;

export class DynamoTokenWindowStore implements TokenWindowStore {
  readonly #tableName: string;
  readonly #client: DynamoDocuments;

  constructor(options: { tableName: string; client: DynamoDocuments }) {
    this.#tableName = options.tableName;
    this.#client = options.client;
  }

  async take(tenantId: string, windowStart: number, tokens: number, limit: number): Promise<{ admitted: boolean; used: number | undefined }> {
    try {
      const result = await this.#client.send(new UpdateCommand({
        TableName: this.#tableName,
        Key: { pk: usageKeys.pk(tenantId), sk: usageKeys.tokensSk(windowStart) },
        UpdateExpression: 'ADD tokens :n SET expiresAt = if_not_exists(expiresAt, :expires)',
        ConditionExpression: 'attribute_not_exists(tokens) OR tokens <= :headroom',
        ExpressionAttributeValues: { ':n': tokens, ':headroom': limit - tokens, ':expires': Math.floor(windowStart / 1000) + KEEP_SECONDS },
        ReturnValues: 'UPDATED_NEW',
      }));
      return { admitted: true, used: Number(result.Attributes?.['tokens'] ?? tokens) };
    } catch (error) {
      if (isConditionFailure(error)) return { admitted: false, used: undefined };
      throw error;
    }
  }

  async adjust(tenantId: string, windowStart: number, delta: number): Promise<void> {
    await this.#client.send(new UpdateCommand({
      TableName: this.#tableName,
      Key: { pk: usageKeys.pk(tenantId), sk: usageKeys.tokensSk(windowStart) },
      UpdateExpression: 'ADD tokens :d',
      ExpressionAttributeValues: { ':d': delta },
    }));
  }
}
