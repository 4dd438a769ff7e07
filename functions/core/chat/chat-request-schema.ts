// The chat completions request as the router accepts it: an explicit list of the parameters the
// router understands and forwards, each strictly shaped. Anything else is a 400 `unknown_parameter`
// naming it, as OpenAI answers, unless the route allows it (catalog `allowParameters`): a field the
// router does not know would otherwise reach the provider unchecked (`store` keeps prompts under the
// operator's account, `web_search_options` costs money). Shape limits (depth, array length, keys)
// are checked first, so nothing below ever walks an unbounded value.
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import { InvalidRequestError } from '../shared/errors.ts';
import { checkJsonLimits } from '../shared/json-limits.ts';
import type { RouteConfig } from '../catalog/catalog-schema.ts';
import type { ChatRequest } from './openai-types.ts';

const textPart = z.strictObject({ type: z.literal('text'), text: z.string() });
const refusalPart = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });
const imagePart = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({ url: z.string().check(z.minLength(1)), detail: z.optional(z.enum(['auto', 'low', 'high'])) }),
});
const audioPart = z.strictObject({
  type: z.literal('input_audio'),
  input_audio: z.strictObject({ data: z.string().check(z.minLength(1)), format: z.enum(['wav', 'mp3']) }),
});
const filePart = z.strictObject({
  type: z.literal('file'),
  file: z.strictObject({ file_data: z.optional(z.string()), file_id: z.optional(z.string()), filename: z.optional(z.string()) }),
});
const userPart = z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart]);
const assistantPart = z.discriminatedUnion('type', [textPart, refusalPart]);

const toolCall = z.strictObject({
  id: z.string().check(z.minLength(1)),
  type: z.literal('function'),
  function: z.strictObject({ name: z.string().check(z.minLength(1)), arguments: z.string() }),
});

const MESSAGE_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
const name = z.optional(z.string().check(z.maxLength(256)));

const message = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('system'), content: z.union([z.string(), z.array(textPart)]), name }),
  z.strictObject({ role: z.literal('developer'), content: z.union([z.string(), z.array(textPart)]), name }),
  z.strictObject({ role: z.literal('user'), content: z.union([z.string(), z.array(userPart).check(z.minLength(1))]), name }),
  z.strictObject({
    role: z.literal('assistant'),
    content: z.optional(z.union([z.string(), z.array(assistantPart), z.null()])),
    refusal: z.nullish(z.string()),
    tool_calls: z.optional(z.array(toolCall)),
    name,
  }),
  z.strictObject({ role: z.literal('tool'), content: z.union([z.string(), z.array(textPart)]), tool_call_id: z.string().check(z.minLength(1)) }),
]);

const tool = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string().check(z.regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64')),
    description: z.optional(z.string()),
    parameters: z.optional(z.record(z.string(), z.unknown())),
    strict: z.nullish(z.boolean()),
  }),
});

const positiveInt = z.number().check(z.int(), z.positive());

/** Every parameter the router understands and forwards (`store` is understood but held back, see below). */
const knownParameters = {
  model: z.string().check(z.minLength(1, 'must name a model or a route such as "auto"')),
  messages: z.array(message).check(z.minLength(1, 'must contain at least one message'), z.maxLength(2048)),
  stream: z.nullish(z.boolean()),
  stream_options: z.nullish(z.strictObject({ include_usage: z.optional(z.boolean()) })),
  max_tokens: z.nullish(positiveInt),
  max_completion_tokens: z.nullish(positiveInt),
  temperature: z.nullish(z.number().check(z.minimum(0), z.maximum(2))),
  top_p: z.nullish(z.number().check(z.minimum(0), z.maximum(1))),
  n: z.nullish(z.literal(1, 'only n=1 is supported by the router')),
  stop: z.nullish(z.union([z.string(), z.array(z.string()).check(z.maxLength(4))])),
  presence_penalty: z.nullish(z.number().check(z.minimum(-2), z.maximum(2))),
  frequency_penalty: z.nullish(z.number().check(z.minimum(-2), z.maximum(2))),
  seed: z.nullish(z.number().check(z.int())),
  user: z.optional(z.string().check(z.maxLength(256))),
  tools: z.optional(z.array(tool).check(z.maxLength(128))),
  tool_choice: z.optional(z.union([
    z.enum(['none', 'auto', 'required']),
    z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string() }) }),
  ])),
  parallel_tool_calls: z.optional(z.boolean()),
  response_format: z.optional(z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('text') }),
    z.strictObject({ type: z.literal('json_object') }),
    z.strictObject({
      type: z.literal('json_schema'),
      json_schema: z.strictObject({
        name: z.string().check(z.regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64')),
        description: z.optional(z.string()),
        schema: z.optional(z.record(z.string(), z.unknown())),
        strict: z.nullish(z.boolean()),
      }),
    }),
  ])),
  reasoning_effort: z.nullish(z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh'])),
  logit_bias: z.nullish(z.record(z.string().check(z.regex(/^\d{1,10}$/, 'token ids')), z.number().check(z.minimum(-100), z.maximum(100)))),
  logprobs: z.nullish(z.boolean()),
  top_logprobs: z.nullish(z.number().check(z.int(), z.minimum(0), z.maximum(20))),
  // Understood so that SDKs that send `store: false` work; never forwarded unless the route allows it.
  store: z.nullish(z.boolean()),
  // Options that change what the provider charges: the catalog holds no price for them, so they are
  // refused by name rather than forwarded and billed at the plain token price.
  service_tier: z.nullish(z.enum(['auto', 'default'], 'only "auto" or "default": other service tiers are priced differently and the catalog has no price for them')),
  modalities: z.nullish(z.array(z.literal('text', 'only ["text"]: audio output is priced differently and the catalog has no price for it'))),
  audio: z.optional(z.null('audio output is priced differently and the catalog has no price for it')),
  web_search_options: z.optional(z.null('web search is billed per call and the catalog has no price for it')),
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

function toInvalidRequest(error: z.core.$ZodError, body: unknown): InvalidRequestError {
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
