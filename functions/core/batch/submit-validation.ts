// Validates a batch submission item by item. Any bad item rejects the whole submission (as OpenAI's
// batch API does), with every problem listed so the caller can fix them in one go.
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import { encodeBatchMessage, messageBytes, SQS_MAX_MESSAGE_BYTES } from '#contracts/batch-message.ts';
import type { BatchMessage } from '#contracts/batch-message.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { parameterPolicy, parseChatRequest } from '../chat/chat-request-schema.ts';
import { checkJsonLimits, defaultJsonLimits } from '../shared/json-limits.ts';
import { InvalidRequestError, RouterError } from '../shared/errors.ts';
import { InvalidEntriesError } from '../shared/invalid-entries-error.ts';
import type { RoutingHints } from '../routing/hints.ts';
import { resolveRoutingInput } from '../routing/hints.ts';
import { COMPLETION_WINDOW, completionWindowMs, itemIdForIndex, MAX_ITEMS_PER_JOB } from './job-model.ts';

export interface ItemProblem {
  index: number;
  custom_id: string | null;
  param: string;
  message: string;
}

/** Shown at most; the message says how many there were in all. */
const MAX_LISTED_PROBLEMS = 1000;

/** 400 listing every bad item: `{"error":{..., "code":"invalid_batch_items", "items":[{index,custom_id,param,message}]}}`. */
export function invalidBatchItems(problems: readonly ItemProblem[], totalItems: number): InvalidEntriesError<'items', ItemProblem> {
  const first = problems[0]!;
  return new InvalidEntriesError(
    `${problems.length} of ${totalItems} batch item(s) are invalid; nothing was queued. First: item ${first.index}` +
      ` (${first.param}): ${first.message}`,
    { code: 'invalid_batch_items', param: 'items', field: 'items', entries: problems, maxListed: MAX_LISTED_PROBLEMS },
  );
}

const submissionSchema = z.looseObject({
  items: z.optional(z.array(z.unknown())),
  input: z.optional(z.string()),
  endpoint: z.optional(z.literal('/v1/chat/completions')),
  // OpenAI offers only "24h"; shorter windows ("2h", "30m", "90s") are accepted too.
  completion_window: z.optional(z.string().check(z.refine((w: string) => completionWindowMs(w) !== undefined, 'use a duration of at most 24h, such as "24h", "2h" or "30m"'))),
  metadata: z.optional(z.record(z.string().check(z.maxLength(64)), z.string().check(z.maxLength(512)))
    .check(z.refine((m: Record<string, string>) => Object.keys(m).length <= 16, 'at most 16 keys'))),
});

const itemSchema = z.looseObject({
  custom_id: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(512)),
  body: z.record(z.string(), z.unknown()),
});

const inputLineSchema = z.extend(itemSchema, {
  method: z.literal('POST'),
  url: z.literal('/v1/chat/completions'),
});

export interface SubmissionContext {
  catalog: Catalog;
  hints: RoutingHints;
  jobId: string;
  tenantId: string;
  keyId: string;
  maxItems?: number;
}

export interface ValidSubmission {
  messages: BatchMessage[];
  metadata: Record<string, string>;
  completionWindow: string;
}

/** Checks a submission; returns one queue message per item or throws (400) naming every bad item. */
export function validateSubmission(body: unknown, ctx: SubmissionContext): ValidSubmission {
  // The submission's own fields within the usual limits; `items` may be long, each item is checked below.
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const { items: _items, ...rest } = body as Record<string, unknown>;
    checkJsonLimits(rest);
  }
  const parsed = submissionSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.join('.') || 'body';
    throw new InvalidRequestError(`Invalid value for '${param}': ${issue.message}.`, param, 'invalid_value');
  }
  const { items, input, metadata, completion_window: window } = parsed.data;
  if ((items === undefined) === (input === undefined)) {
    throw new InvalidRequestError('Send exactly one of "items" (an array) or "input" (JSONL text).', 'items', 'invalid_value');
  }
  const raw = items ? items.map((value) => ({ value } as { value: unknown; error?: string })) : splitJsonl(input!);
  const maxItems = ctx.maxItems ?? MAX_ITEMS_PER_JOB;
  if (raw.length === 0) throw new InvalidRequestError('The batch has no items.', 'items', 'empty_batch');
  if (raw.length > maxItems) {
    throw new InvalidRequestError(`The batch has ${raw.length} items; the limit is ${maxItems}.`, 'items', 'too_many_items');
  }
  const problems: ItemProblem[] = [];
  const seen = new Map<string, number>();
  const messages: BatchMessage[] = [];
  raw.forEach((entry, index) => {
    const problem = (param: string, message: string, customId: string | null) => problems.push({ index, custom_id: customId, param, message });
    if (entry.error !== undefined) return problem('input', entry.error, null);
    const tooBig = limitProblem(entry.value);
    if (tooBig) return problem(tooBig.param, tooBig.message, null);
    const item = (items ? itemSchema : inputLineSchema).safeParse(entry.value);
    if (!item.success) {
      const issue = item.error.issues[0]!;
      const customId = typeof (entry.value as { custom_id?: unknown })?.custom_id === 'string' ? (entry.value as { custom_id: string }).custom_id : null;
      return problem(issue.path.join('.') || 'item', issue.message, customId);
    }
    const customId = item.data.custom_id;
    const first = seen.get(customId);
    if (first !== undefined) return problem('custom_id', `duplicate custom_id (first used by item ${first})`, customId);
    seen.set(customId, index);
    const checked = checkRequest(item.data.body, ctx);
    if (checked) return problem(checked.param, checked.message, customId);
    const message: BatchMessage = {
      version: 1, jobId: ctx.jobId, itemId: itemIdForIndex(index), tenantId: ctx.tenantId, keyId: ctx.keyId,
      customId, request: item.data.body, ...(Object.keys(ctx.hints).length ? { hints: { ...ctx.hints } } : {}),
    };
    const bytes = messageBytes(encodeBatchMessage(message));
    if (bytes > SQS_MAX_MESSAGE_BYTES) {
      return problem('body', `the item's queue message is ${bytes} bytes; the limit is ${SQS_MAX_MESSAGE_BYTES} (256 KiB)`, customId);
    }
    messages.push(message);
  });
  if (problems.length) throw invalidBatchItems(problems, raw.length);
  return { messages, metadata: metadata ?? {}, completionWindow: window ?? COMPLETION_WINDOW };
}

/** An item nested deeper or wider than a chat body may be (an item adds two levels: item, body). */
function limitProblem(value: unknown): { param: string; message: string } | undefined {
  try {
    checkJsonLimits(value, { ...defaultJsonLimits, maxDepth: defaultJsonLimits.maxDepth + 1 });
    return undefined;
  } catch (error) {
    if (error instanceof RouterError) return { param: error.param ?? 'item', message: error.message };
    throw error;
  }
}

/** What is wrong with an item's request body (with the code and status /v1/chat/completions would answer), or undefined when it is fine. */
export function checkRequest(body: Record<string, unknown>, ctx: SubmissionContext): { param: string; message: string; code?: string; status?: number } | undefined {
  try {
    const request = parseChatRequest(body, parameterPolicy(ctx.catalog.routes, body));
    if (request.stream === true) return { param: 'body.stream', message: 'streaming is not available in batches; leave stream unset', code: 'invalid_value', status: 400 };
    resolveRoutingInput(ctx.catalog, request, ctx.hints);
    return undefined;
  } catch (error) {
    if (error instanceof RouterError && error.param?.startsWith('x-router-')) throw error; // same for every item
    if (error instanceof RouterError) return { param: `body.${error.param ?? 'model'}`, message: error.message, ...(error.code ? { code: error.code } : {}), status: error.status };
    throw error;
  }
}

function splitJsonl(text: string): Array<{ value: unknown; error?: string }> {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '').map((line) => {
    try {
      return { value: JSON.parse(line) as unknown };
    } catch (error) {
      return { value: undefined, error: `line is not valid JSON: ${(error as Error).message}` };
    }
  });
}
