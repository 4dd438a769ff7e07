// The Anthropic Messages API request, validated at the boundary. Only the fields the router maps are
// typed; unknown fields (metadata extensions, betas) pass through the loose objects untouched.
import * as z from 'zod';
import { formatParam } from '../chat/chat-request-schema.ts';
import { InvalidRequestError } from '../shared/errors.ts';

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: z.union([
    z.looseObject({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) }),
    z.looseObject({ type: z.literal('url'), url: z.string().url() }),
  ]),
});
const toolUseBlock = z.looseObject({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string().min(1), input: z.unknown() });
const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.union([textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
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
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64'),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
});

const toolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('none') }),
  z.looseObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
]);

export const messagesRequestSchema = z.looseObject({
  model: z.string().min(1, 'must name a model or a route such as "auto"'),
  max_tokens: z.number().int().positive(),
  messages: z.array(message).min(1, 'must contain at least one message').max(2048),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  stop_sequences: z.array(z.string()).max(4).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  metadata: z.looseObject({ user_id: z.string().max(256).nullish() }).optional(),
  tools: z.array(tool).max(128).optional(),
  tool_choice: toolChoice.optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

/** count_tokens takes the same body without max_tokens. */
export const countTokensRequestSchema = messagesRequestSchema.extend({ max_tokens: z.number().int().positive().optional() });

/** Validates a parsed body against `schema`; throws InvalidRequestError naming the first bad field. */
export function parseMessagesBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
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
