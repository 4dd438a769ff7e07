// The Anthropic Messages API request, validated at the boundary. Only the fields the router maps are
// typed; unknown fields (metadata extensions, betas) pass through the loose objects untouched.
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import { formatParam } from '../chat/chat-request-schema.ts';
import { InvalidRequestError } from '../shared/errors.ts';

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: z.union([
    z.looseObject({ type: z.literal('base64'), media_type: z.string().check(z.minLength(1)), data: z.string().check(z.minLength(1)) }),
    z.looseObject({ type: z.literal('url'), url: z.string().check(z.url()) }),
  ]),
});
const toolUseBlock = z.looseObject({ type: z.literal('tool_use'), id: z.string().check(z.minLength(1)), name: z.string().check(z.minLength(1)), input: z.unknown() });
const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().check(z.minLength(1)),
  content: z.optional(z.union([z.string(), z.array(z.union([textBlock, imageBlock]))])),
  is_error: z.optional(z.boolean()),
});
// Thinking blocks a client echoes back carry nothing another provider can use; they are dropped.
const thinkingBlock = z.looseObject({ type: z.enum(['thinking', 'redacted_thinking']) });

export const contentBlockSchema = z.discriminatedUnion('type', [textBlock, imageBlock, toolUseBlock, toolResultBlock, thinkingBlock]);
export type MessagesContentBlock = z.infer<typeof contentBlockSchema>;

const message = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});

const tool = z.looseObject({
  name: z.string().check(z.regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64')),
  description: z.optional(z.string()),
  input_schema: z.record(z.string(), z.unknown()),
});

const toolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.optional(z.boolean()) }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.optional(z.boolean()) }),
  z.looseObject({ type: z.literal('none') }),
  z.looseObject({ type: z.literal('tool'), name: z.string().check(z.minLength(1)), disable_parallel_tool_use: z.optional(z.boolean()) }),
]);

export const messagesRequestSchema = z.looseObject({
  model: z.string().check(z.minLength(1, 'must name a model or a route such as "auto"')),
  max_tokens: z.number().check(z.int(), z.positive()),
  messages: z.array(message).check(z.minLength(1, 'must contain at least one message'), z.maxLength(2048)),
  system: z.optional(z.union([z.string(), z.array(textBlock)])),
  stop_sequences: z.optional(z.array(z.string()).check(z.maxLength(4))),
  stream: z.optional(z.boolean()),
  temperature: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  top_p: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  top_k: z.optional(z.number().check(z.int(), z.nonnegative())),
  metadata: z.optional(z.looseObject({ user_id: z.nullish(z.string().check(z.maxLength(256))) })),
  tools: z.optional(z.array(tool).check(z.maxLength(128))),
  tool_choice: z.optional(toolChoice),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

/** count_tokens takes the same body without max_tokens. */
export const countTokensRequestSchema = z.extend(messagesRequestSchema, { max_tokens: z.optional(z.number().check(z.int(), z.positive())) });

/** Validates a parsed body against `schema`; throws InvalidRequestError naming the first bad field. */
export function parseMessagesBody<T extends z.ZodMiniType>(schema: T, body: unknown): z.infer<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object.', null, 'invalid_body');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = formatParam(issue.path) || 'body';
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  if (missing) throw new InvalidRequestError(`${param}: Field required`, param, 'missing_required_parameter', result.error);
  throw new InvalidRequestError(`${param}: ${issue.message}`, param, 'invalid_value', result.error);
}
