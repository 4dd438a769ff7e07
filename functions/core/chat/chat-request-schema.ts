// The chat completions request as the router accepts it: an explicit list of the parameters the
// router understands and forwards, each strictly shaped. Anything else is a 400 `unknown_parameter`
// naming it, as OpenAI answers, unless the route allows it (catalog `allowParameters`): a field the
// router does not know would otherwise reach the provider unchecked (`store` keeps prompts under the
// operator's account, `web_search_options` costs money). Shape limits (depth, array length, keys)
// are checked first, so nothing below ever walks an unbounded value.
import * as z from 'zod';
import { InvalidRequestError } from '../shared/errors.ts';
import { checkJsonLimits } from '../shared/json-limits.ts';
import type { RouteConfig } from '../catalog/catalog-schema.ts';
import type { ChatRequest } from './openai-types.ts';

const textPart = z.strictObject({ type: z.literal('text'), text: z.string() });
const refusalPart = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });
const imagePart = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const audioPart = z.strictObject({
  type: z.literal('input_audio'),
  input_audio: z.strictObject({ data: z.string().min(1), format: z.enum(['wav', 'mp3']) }),
});
const filePart = z.strictObject({
  type: z.literal('file'),
  file: z.strictObject({ file_data: z.string().optional(), file_id: z.string().optional(), filename: z.string().optional() }),
});
const userPart = z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart]);
const assistantPart = z.discriminatedUnion('type', [textPart, refusalPart]);

const toolCall = z.strictObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.strictObject({ name: z.string().min(1), arguments: z.string() }),
});

const MESSAGE_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
const name = z.string().max(256).optional();

const message = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('system'), content: z.union([z.string(), z.array(textPart)]), name }),
  z.strictObject({ role: z.literal('developer'), content: z.union([z.string(), z.array(textPart)]), name }),
  z.strictObject({ role: z.literal('user'), content: z.union([z.string(), z.array(userPart).min(1)]), name }),
  z.strictObject({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(assistantPart), z.null()]).optional(),
    refusal: z.string().nullish(),
    tool_calls: z.array(toolCall).optional(),
    name,
  }),
  z.strictObject({ role: z.literal('tool'), content: z.union([z.string(), z.array(textPart)]), tool_call_id: z.string().min(1) }),
]);

const tool = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const positiveInt = z.number().int().positive();

/** Every parameter the router understands and forwards (`store` is understood but held back, see below). */
const knownParameters = {
  model: z.string().min(1, 'must name a model or a route such as "auto"'),
  messages: z.array(message).min(1, 'must contain at least one message').max(2048),
  stream: z.boolean().nullish(),
  stream_options: z.strictObject({ include_usage: z.boolean().optional() }).nullish(),
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
    z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string() }) }),
  ]).optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('text') }),
    z.strictObject({ type: z.literal('json_object') }),
    z.strictObject({
      type: z.literal('json_schema'),
      json_schema: z.strictObject({
        name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64'),
        description: z.string().optional(),
        schema: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullish(),
      }),
    }),
  ]).optional(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
  logit_bias: z.record(z.string().regex(/^\d{1,10}$/, 'token ids'), z.number().min(-100).max(100)).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  // Understood so that SDKs that send `store: false` work; never forwarded unless the route allows it.
  store: z.boolean().nullish(),
  // Options that change what the provider charges: the catalog holds no price for them, so they are
  // refused by name rather than forwarded and billed at the plain token price.
  service_tier: z.enum(['auto', 'default'], 'only "auto" or "default": other service tiers are priced differently and the catalog has no price for them').nullish(),
  modalities: z.array(z.literal('text', 'only ["text"]: audio output is priced differently and the catalog has no price for it')).nullish(),
  audio: z.null('audio output is priced differently and the catalog has no price for it').optional(),
  web_search_options: z.null('web search is billed per call and the catalog has no price for it').optional(),
};

export const chatRequestSchema = z.strictObject(knownParameters);

/** Parameters the router knows; everything else needs the route's `allowParameters`. */
export const KNOWN_PARAMETERS: ReadonlySet<string> = new Set(Object.keys(knownParameters));

/** Known parameters that are dropped before the provider unless the route allows them. */
const HELD_BACK: readonly string[] = ['store'];

/** Which extra parameters a request may carry; from the route its `model` names. */
export interface ParameterPolicy {
  allowed: ReadonlySet<string>;
}

/** The policy of the route a body's `model` names (routes only: a concrete model allows no extras). */
export function parameterPolicy(routes: Readonly<Record<string, RouteConfig>> | undefined, body: unknown): ParameterPolicy {
  const model = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['model'] : undefined;
  const route = typeof model === 'string' && routes && Object.hasOwn(routes, model) ? routes[model] : undefined;
  return { allowed: new Set(route?.allowParameters ?? []) };
}

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

const unknownParameter = (param: string): InvalidRequestError =>
  new InvalidRequestError(`Unknown parameter: '${param}'.`, param, 'unknown_parameter');

/**
 * Validates a parsed JSON body; throws InvalidRequestError naming the first bad field.
 * `policy` (from `parameterPolicy`) lets a route's extra parameters through.
 */
export function parseChatRequest(body: unknown, policy: ParameterPolicy = { allowed: new Set() }): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object.', null, 'invalid_body');
  }
  checkJsonLimits(body);
  const known: Record<string, unknown> = {};
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (KNOWN_PARAMETERS.has(key)) known[key] = value;
    else if (policy.allowed.has(key)) extras[key] = value;
    else throw unknownParameter(key);
  }
  const result = chatRequestSchema.safeParse(known);
  if (!result.success) throw toInvalidRequest(result.error, body);
  const request: Record<string, unknown> = { ...result.data, ...extras };
  for (const key of HELD_BACK) if (!policy.allowed.has(key)) delete request[key];
  return request as ChatRequest;
}

function toInvalidRequest(error: z.ZodError, body: unknown): InvalidRequestError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') return unknownParameter(formatParam([...issue.path, issue.keys[0]!]));
  const param = formatParam(issue.path) || 'body';
  if (valueAt(body, issue.path) === undefined) {
    return new InvalidRequestError(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter', error);
  }
  const detail = issue.code === 'invalid_union' && issue.path.at(-1) === 'role'
    ? `must be one of ${MESSAGE_ROLES.join(', ')}`
    : issue.code === 'invalid_union' ? 'is not a valid value' : issue.message;
  return new InvalidRequestError(`Invalid value for '${param}': ${detail}.`, param, 'invalid_value', error);
}
