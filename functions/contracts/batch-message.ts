// The batch queue's message: a documented, versioned contract. The API writes it, users may send it
// straight onto the queue, the worker reads it. Never change a field's meaning within a version.
import * as z from 'zod/mini';
import './zod-en.ts';

export const BATCH_MESSAGE_VERSION = 1;

/** SQS's per-message limit (the whole body, envelope included) that submissions are held to. */
export const SQS_MAX_MESSAGE_BYTES = 256 * 1024;

/** Job and item ids: safe in keys, URLs and output ids. */
export const batchIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, 1 to 64'));

/** Routing hints (the `x-router-*` header values of the submission), unvalidated strings. */
export const batchHintsSchema = z.strictObject({
  strategy: z.optional(z.string()),
  task: z.optional(z.string()),
  minQuality: z.optional(z.string()),
  maxCost: z.optional(z.string()),
});

/**
 * Version 1.
 * - `version`: always 1.
 * - `jobId`: the job the item belongs to; a job the API does not know is created on first sight.
 * - `itemId`: unique within the job; the item's key (the API uses the zero-padded input index).
 * - `tenantId`, `keyId`: who is billed; the queue is trusted (only the API and operators may send).
 * - `customId`: the caller's id for the item, echoed in the results.
 * - `request`: an OpenAI chat completions request body (validated by the worker; `stream` is ignored).
 * - `hints`: routing hints, as the `x-router-*` headers would give them.
 * - `endpoint`: optional, `/v1/chat/completions` when absent; `/v1/embeddings` makes `request` an
 *   OpenAI embeddings body (added within version 1: absent keeps every earlier message's meaning).
 */
export const batchMessageSchema = z.strictObject({
  version: z.literal(BATCH_MESSAGE_VERSION),
  jobId: batchIdSchema,
  itemId: batchIdSchema,
  tenantId: z.string().check(z.minLength(1), z.maxLength(128)),
  keyId: z.string().check(z.minLength(1), z.maxLength(128)),
  customId: z.string().check(z.minLength(1), z.maxLength(512)),
  request: z.record(z.string(), z.unknown()),
  hints: z.optional(batchHintsSchema),
  endpoint: z.optional(z.enum(['/v1/chat/completions', '/v1/embeddings'])),
});

export type BatchMessage = z.infer<typeof batchMessageSchema>;

/** The ids of a message that failed validation, when they can be read: enough to record the failure. */
export interface MessageIdentity {
  jobId: string;
  itemId: string;
  tenantId: string;
  keyId: string;
  customId: string;
}

export type DecodedMessage =
  | { ok: true; message: BatchMessage }
  | { ok: false; reason: string; identity?: MessageIdentity };

export function encodeBatchMessage(message: BatchMessage): string {
  return JSON.stringify(message);
}

/** Bytes the message takes on the queue. */
export function messageBytes(body: string): number {
  return Buffer.byteLength(body, 'utf8');
}

/** Parses and validates a queue message body; a bad one comes back with the reason (and ids, if readable). */
export function decodeBatchMessage(body: string): DecodedMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `message body is not JSON: ${(error as Error).message}` };
  }
  const parsed = batchMessageSchema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0]!;
  const reason = `invalid batch message: ${issue.path.join('.') || 'body'}: ${issue.message}`;
  const identity = identityOf(raw);
  return identity ? { ok: false, reason, identity } : { ok: false, reason };
}

function identityOf(raw: unknown): MessageIdentity | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const ok = (v: unknown) => batchIdSchema.safeParse(v).success;
  const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 512;
  if (!ok(r['jobId']) || !ok(r['itemId']) || !text(r['tenantId'])) return undefined;
  return {
    jobId: r['jobId'] as string,
    itemId: r['itemId'] as string,
    tenantId: r['tenantId'] as string,
    keyId: text(r['keyId']) ? (r['keyId'] as string) : 'unknown',
    customId: text(r['customId']) ? (r['customId'] as string) : (r['itemId'] as string),
  };
}
