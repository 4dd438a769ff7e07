// Call records out of export items: only `CALL#` items of the cost table (aggregates and anything else
// are skipped), validated, with money kept exact.
import * as z from 'zod';
import { isNumberText } from './dynamodb-json.ts';
import type { PlainValue } from './dynamodb-json.ts';
import { unitsFromDecimal } from './money.ts';

/** One billable (or cache-served) call, as the report needs it. */
export interface ReportCall {
  tenantId: string;
  keyId: string;
  requestId: string;
  modelId: string;
  day: string;
  timestamp: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  cacheHit: boolean;
  /** 1e-10 USD units. */
  costUnits: bigint;
  savedUnits: bigint;
}

const numberText = z.custom<{ number: string }>(isNumberText, 'a DynamoDB number');
const optionalCount = numberText.optional();

const callItem = z.object({
  pk: z.string(),
  sk: z.string().startsWith('CALL#'),
  tenantId: z.string().min(1),
  keyId: z.string().default(''),
  requestId: z.string().min(1),
  modelId: z.string().min(1),
  timestamp: z.string().regex(/^\d{4}-\d{2}-\d{2}T/),
  costUsd: numberText,
  savedUsd: numberText.optional(),
  inputTokens: optionalCount,
  outputTokens: optionalCount,
  cachedInputTokens: optionalCount,
  reasoningTokens: optionalCount,
  cacheHit: z.boolean().default(false),
});

export interface CallParseResult {
  calls: ReportCall[];
  /** Items that are not call records (aggregates, other item types). */
  skipped: number;
  /** Call items that failed validation, with the reason. */
  invalid: Array<{ sk: string; reason: string }>;
}

/** Picks the call records out of the items of a cost-table export. */
export function callsFromItems(items: ReadonlyArray<Record<string, PlainValue>>): CallParseResult {
  const result: CallParseResult = { calls: [], skipped: 0, invalid: [] };
  for (const item of items) {
    if (typeof item['sk'] !== 'string' || !item['sk'].startsWith('CALL#')) {
      result.skipped++;
      continue;
    }
    const parsed = callItem.safeParse(item);
    if (!parsed.success) {
      result.invalid.push({ sk: item['sk'], reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      continue;
    }
    const c = parsed.data;
    const count = (n: { number: string } | undefined) => (n ? Number(n.number) : 0);
    result.calls.push({
      tenantId: c.tenantId,
      keyId: c.keyId,
      requestId: c.requestId,
      modelId: c.modelId,
      day: c.timestamp.slice(0, 10),
      timestamp: c.timestamp,
      inputTokens: count(c.inputTokens),
      outputTokens: count(c.outputTokens),
      cachedInputTokens: count(c.cachedInputTokens),
      reasoningTokens: count(c.reasoningTokens),
      cacheHit: c.cacheHit,
      costUnits: unitsFromDecimal(c.costUsd.number),
      savedUnits: c.savedUsd ? unitsFromDecimal(c.savedUsd.number) : 0n,
    });
  }
  return result;
}
