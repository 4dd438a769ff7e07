// POST /v1/embeddings request, OpenAI's shape. Token-array inputs are not accepted: the router
// cannot tell which tokenizer they were made with, and providers differ.
import * as z from 'zod';
import { formatParam } from '../chat/chat-request-schema.ts';
import { InvalidRequestError } from '../shared/errors.ts';

export const embeddingsRequestSchema = z.looseObject({
  model: z.string().min(1, 'must name an embedding model or a route'),
  input: z.union([
    z.string().min(1, 'must not be empty'),
    z.array(z.string().min(1, 'must not be empty')).min(1, 'must contain at least one string').max(2048),
  ]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().max(16_384).optional(),
  user: z.string().max(256).optional(),
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
