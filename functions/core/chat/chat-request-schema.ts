// The chat completions request as the router accepts it. Strict on what the router reads, permissive
// (passthrough) on provider-specific extras so that nothing a client sends is silently dropped.
import { z } from 'zod';
import { InvalidRequestError } from '../shared/errors.ts';
import type { ChatRequest } from './openai-types.ts';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
// Other part types (input_audio, file, ...) pass through; text and image parts must be well formed.
const otherPart = z.looseObject({
  type: z.string().min(1).refine((t) => t !== 'text' && t !== 'image_url', 'malformed content part'),
});
const contentPart = z.union([textPart, imagePart, otherPart]);

const toolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const MESSAGE_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;

const message = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: z.union([z.string(), z.array(textPart)]), name: z.string().optional() }),
  z.looseObject({ role: z.literal('developer'), content: z.union([z.string(), z.array(textPart)]), name: z.string().optional() }),
  z.looseObject({ role: z.literal('user'), content: z.union([z.string(), z.array(contentPart).min(1)]), name: z.string().optional() }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(textPart), z.null()]).optional(),
    tool_calls: z.array(toolCall).optional(),
    name: z.string().optional(),
  }),
  z.looseObject({ role: z.literal('tool'), content: z.union([z.string(), z.array(textPart)]), tool_call_id: z.string().min(1) }),
]);

const tool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const positiveInt = z.number().int().positive();

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1, 'must name a model or a route such as "auto"'),
  messages: z.array(message).min(1, 'must contain at least one message').max(2048),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: positiveInt.nullish(),
  max_completion_tokens: positiveInt.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.literal(1, 'only n=1 is supported by the router').nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().max(256).optional(),
  tools: z.array(tool).max(128).optional(),
  tool_choice: z.union([
    z.enum(['none', 'auto', 'required']),
    z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
  ]).optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: z.object({
    type: z.enum(['text', 'json_object', 'json_schema']),
    json_schema: z.unknown().optional(),
  }).optional(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
  // Options that change what the provider charges: the catalog holds no price for them, so they are
  // refused by name rather than forwarded and billed at the plain token price.
  service_tier: z.enum(['auto', 'default'], 'only "auto" or "default": other service tiers are priced differently and the catalog has no price for them').nullish(),
  modalities: z.array(z.literal('text', 'only ["text"]: audio output is priced differently and the catalog has no price for it')).nullish(),
  audio: z.null('audio output is priced differently and the catalog has no price for it').optional(),
  web_search_options: z.null('web search is billed per call and the catalog has no price for it').optional(),
});

/** Renders a zod path as OpenAI does in `param`: `messages[0].content`. */
export function formatParam(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Validates a parsed JSON body; throws InvalidRequestError naming the first bad field. */
export function parseChatRequest(body: unknown): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object.', null, 'invalid_body');
  }
  const result = chatRequestSchema.safeParse(body);
  if (result.success) return result.data as ChatRequest;
  const issue = result.error.issues[0]!;
  const param = formatParam(issue.path) || 'body';
  if (valueAt(body, issue.path) === undefined) {
    throw new InvalidRequestError(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter', result.error);
  }
  const detail = issue.code === 'invalid_union' && issue.path.at(-1) === 'role'
    ? `must be one of ${MESSAGE_ROLES.join(', ')}`
    : issue.code === 'invalid_union' ? 'is not a valid value' : issue.message;
  throw new InvalidRequestError(`Invalid value for '${param}': ${detail}.`, param, 'invalid_value', result.error);
}
