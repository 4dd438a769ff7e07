// The file form of POST /v1/batches (OpenAI's): `{input_file_id, endpoint, completion_window, metadata}`.
// The input file was checked on upload; here each line's request is checked for the batch's endpoint.
// Unlike the `items` form, bad lines do not refuse the batch: each becomes a failed item whose line in
// the error file says why (as OpenAI reports a request its API would have refused), the rest run.
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import { encodeBatchMessage, messageBytes, SQS_MAX_MESSAGE_BYTES } from '#contracts/batch-message.ts';
import type { BatchMessage } from '#contracts/batch-message.ts';
import type { InputLine } from '../files/batch-input.ts';
import { InvalidRequestError } from '../shared/errors.ts';
import { COMPLETION_WINDOW, completionWindowMs, itemIdForIndex } from './job-model.ts';
import type { ItemError } from './job-model.ts';
import { checkRequest } from './submit-validation.ts';
import { parseEmbeddingsRequest } from '../embeddings/embeddings-request-schema.ts';
import { explainNoRoute } from '../routing/plan.ts';
import { planSlots } from '../routing/plan-slots.ts';
import { RouterError } from '../shared/errors.ts';
import type { SubmissionContext } from './submit-validation.ts';

/** Endpoints a file-form batch can run. */
export const BATCH_ENDPOINTS = ['/v1/chat/completions', '/v1/embeddings'] as const;

export const fileSubmissionSchema = z.strictObject({
  input_file_id: z.string().check(z.minLength(1, 'must not be empty')),
  endpoint: z.string().check(z.refine((e: string) => (BATCH_ENDPOINTS as readonly string[]).includes(e), {
    message: `this router runs batches for ${BATCH_ENDPOINTS.join(', ')} only`,
  })),
  completion_window: z._default(z.string().check(z.refine((w: string) => completionWindowMs(w) !== undefined, 'use a duration of at most 24h, such as "24h"')), COMPLETION_WINDOW),
  metadata: z.nullish(z.record(z.string().check(z.maxLength(64)), z.string().check(z.maxLength(512))).check(z.refine((m: Record<string, string>) => Object.keys(m).length <= 16, 'at most 16 keys'))),
  // Accepted for compatibility with OpenAI's client; result files follow the bucket's lifecycle rule.
  output_expires_after: z.optional(z.unknown()),
});

export type FileSubmissionBody = z.infer<typeof fileSubmissionSchema>;

export interface FileSubmission {
  inputFileId: string;
  endpoint: string;
  completionWindow: string;
  metadata: Record<string, string>;
}

/** Checks the body of a file-form submission; 400 naming the field. */
export function parseFileSubmission(body: unknown): FileSubmission {
  const parsed = fileSubmissionSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.code === 'unrecognized_keys' ? issue.keys[0]! : issue.path.join('.') || 'body';
    const message = issue.code === 'unrecognized_keys' ? 'unknown field (the file form takes input_file_id, endpoint, completion_window and metadata)' : issue.message;
    throw new InvalidRequestError(`Invalid value for '${param}': ${message}.`, param, param === 'endpoint' ? 'unsupported_endpoint' : 'invalid_value');
  }
  const { input_file_id: inputFileId, endpoint, completion_window: completionWindow, metadata } = parsed.data;
  return { inputFileId, endpoint, completionWindow, metadata: metadata ?? {} };
}

export interface PlannedItems {
  /** One queue message per line that can run. */
  messages: BatchMessage[];
  /** Lines refused before running: recorded as failed items (400), so they end in the error file. */
  rejected: Array<{ itemId: string; customId: string; error: ItemError }>;
}

/** One item per input line, in line order: a queue message for each runnable line, a failure for each other. */
export function planFileItems(lines: readonly InputLine[], endpoint: string, ctx: SubmissionContext): PlannedItems {
  const planned: PlannedItems = { messages: [], rejected: [] };
  lines.forEach((line, index) => {
    const itemId = itemIdForIndex(index);
    const reject = (param: string, message: string, code = 'invalid_request', status = 400) => planned.rejected.push({
      itemId, customId: line.customId, error: { code, message: `Line ${line.line}: ${message}`, status, param },
    });
    if (line.url !== endpoint) return reject('url', `the line's url '${line.url}' is not the batch's endpoint '${endpoint}'`);
    const problem = endpoint === '/v1/embeddings' ? checkEmbeddingsRequest(line.body, ctx) : checkRequest(line.body, ctx);
    // The status and code the same request would get from /v1/chat/completions (404 model_not_found, 400 ...).
    if (problem) return reject(problem.param.replace(/^body\./, ''), problem.message, problem.code, problem.status);
    const message: BatchMessage = {
      version: 1, jobId: ctx.jobId, itemId, tenantId: ctx.tenantId, keyId: ctx.keyId, customId: line.customId,
      request: line.body, ...(Object.keys(ctx.hints).length ? { hints: { ...ctx.hints } } : {}),
      // Chat messages stay exactly as before (no endpoint field); embeddings say so.
      ...(endpoint === '/v1/embeddings' ? { endpoint } : {}),
    };
    const bytes = messageBytes(encodeBatchMessage(message));
    if (bytes > SQS_MAX_MESSAGE_BYTES) return reject('body', `the request's queue message is ${bytes} bytes; the limit is ${SQS_MAX_MESSAGE_BYTES} (256 KiB)`);
    planned.messages.push(message);
  });
  return planned;
}

/** What is wrong with an embeddings line's body (as POST /v1/embeddings would answer), or undefined. */
function checkEmbeddingsRequest(body: Record<string, unknown>, ctx: SubmissionContext): { param: string; message: string; code?: string; status?: number } | undefined {
  try {
    const request = parseEmbeddingsRequest(body);
    const inputs = typeof request.input === 'string' ? [request.input] : request.input;
    // Health is left out (as for chat lines): a model down now may be up when the item runs.
    const plan = planSlots(ctx.catalog, { model: request.model, messages: [{ role: 'user', content: inputs.join('\n') }] }, ctx.hints, {}, 'embedding');
    if (plan.candidates.length === 0) return { param: 'model', message: explainNoRoute(plan), code: 'no_model_available', status: 400 };
    return undefined;
  } catch (error) {
    if (error instanceof RouterError && error.param?.startsWith('x-router-')) throw error;
    if (error instanceof RouterError) return { param: error.param ?? 'model', message: error.message, ...(error.code ? { code: error.code } : {}), status: error.status };
    throw error;
  }
}
