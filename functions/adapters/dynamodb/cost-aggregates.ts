// Per-tenant, per-day, per-model totals in the cost table, next to the call records.
//
// Item: { pk: AGG#TENANT#<tenant>, sk: DAY#<yyyy-mm-dd>#MODEL#<modelId>, tenantId, aggDay, modelId,
//         calls, cacheHits, inputTokens, outputTokens, cachedInputTokens, reasoningTokens, costUsd, savedUsd }
// The aggregates have their own partition (not TENANT#<tenant>) so a query for a tenant's call records
// returns call records only, and `aggDay` rather than `day`, so the byDay index holds call records only.
import type { CostRecord } from '#core/pricing/ports.ts';
import { usdNumber } from './budget-guard.ts';

export const aggregateKeys = {
  pk: (tenantId: string) => `AGG#TENANT#${tenantId}`,
  sk: (day: string, modelId: string) => `DAY#${day}#MODEL#${modelId}`,
  dayPrefix: (day: string) => `DAY#${day}#`,
} as const;

/** The UpdateItem parts that add one call to its aggregate item (for an Update or a transaction). */
export function aggregateUpdate(tableName: string, record: CostRecord): {
  TableName: string;
  Key: { pk: string; sk: string };
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
} {
  const day = record.timestamp.slice(0, 10);
  return {
    TableName: tableName,
    Key: { pk: aggregateKeys.pk(record.tenantId), sk: aggregateKeys.sk(day, record.modelId) },
    UpdateExpression: 'SET tenantId = :tenant, #period = :day, modelId = :model '
      + 'ADD calls :one, cacheHits :hit, inputTokens :in, outputTokens :out, cachedInputTokens :cached, '
      + 'reasoningTokens :reasoning, costUsd :cost, savedUsd :saved',
    // `aggDay`, not `day`: an attribute named `day` would put aggregates into the byDay index.
    ExpressionAttributeNames: { '#period': 'aggDay' },
    ExpressionAttributeValues: {
      ':tenant': record.tenantId,
      ':day': day,
      ':model': record.modelId,
      ':one': 1,
      ':hit': record.cacheHit ? 1 : 0,
      ':in': record.inputTokens,
      ':out': record.outputTokens,
      ':cached': record.cachedInputTokens,
      ':reasoning': record.reasoningTokens,
      ':cost': usdNumber(record.costUsd),
      ':saved': usdNumber(record.savedUsd ?? 0),
    },
  };
}
