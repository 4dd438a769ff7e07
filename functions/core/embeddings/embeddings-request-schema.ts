// POST /v1/embeddings request, OpenAI's shape. Token-array inputs are not accepted: the router
// cannot tell which tokenizer they were made with, and providers differ.
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import { formatParam } from '../chat/chat-request-schema.ts';
import { InvalidRequestError } from '../shared/errors.ts';

export const embeddingsRequestSchema = z.looseObject({
  model: z.string().check(z.minLength(1, 'must name an embedding model or a route')),
  input: z.union([
    z.string().check(z.minLength(1, 'must not be empty')),
    z.array(z.string().check(z.minLength(1, 'must not be empty'))).check(z.minLength(1, 'must contain at least one string'), z.maxLength(2048)),
  ]),
  encoding_format: z.optional(z.enum(['float', 'base64'])),
  dimensions: z.optional(z.number().check(z.int(), z.positive(), z.maximum(16_384))),
  user: z.optional(z.string().check(z.maxLength(256))),
});
export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;

export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object.', null, 'invalid_body');
  }
  const result = embeddingsRequestSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = formatParam(issue.path) || 'body';
  if ((body as Record<string, unknown>)[String(issue.path[0])] === undefined) {
    throw new InvalidRequestError(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter', result.error);
  }
  const detail = issue.code === 'invalid_union' ? 'must be a non-empty string or an array of non-empty strings' : issue.message;
  throw new InvalidRequestError(`Invalid value for '${param}': ${detail}.`, param, 'invalid_value', result.error);
}
