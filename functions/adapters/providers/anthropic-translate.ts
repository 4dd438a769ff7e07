// Pure translation between OpenAI Chat Completions and the Anthropic Messages API. No I/O here, so
// every mapping rule can be tested on its own.
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import type { ChatCompletion, ChatMessage, ChatRequest, ContentPart, FinishReason, ToolCall, Usage } from '#core/chat/openai-types.ts';

/** The request cannot be expressed in the Messages API (the adapter reports it as bad_request). */
export class UntranslatableRequest extends Error {
  override name = 'UntranslatableRequest';
}

type Block = Record<string, unknown> & { type: string };
interface AnthropicMessage { role: 'user' | 'assistant'; content: Block[] }

export const DEFAULT_MAX_TOKENS = 4096;

function imageBlock(url: string): Block {
  const data = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(url);
  if (data) {
    if (!data[2]) throw new UntranslatableRequest('image data URLs must be base64-encoded');
    return { type: 'image', source: { type: 'base64', media_type: data[1], data: data[3] } };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new UntranslatableRequest(`unsupported image URL scheme: ${url.slice(0, 30)}`);
}

function contentBlocks(content: ChatMessage['content']): Block[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.map((part: ContentPart): Block => {
    if (part.type === 'text' && typeof part.text === 'string') return { type: 'text', text: part.text };
    if (part.type === 'image_url') return imageBlock((part as { image_url: { url: string } }).image_url.url);
    throw new UntranslatableRequest(`content part type "${part.type}" is not supported by Anthropic`);
  });
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}

function toolUse(call: ToolCall): Block {
  let input: unknown = {};
  if (call.function.arguments.trim() !== '') {
    try {
      input = JSON.parse(call.function.arguments);
    } catch {
      throw new UntranslatableRequest(`tool call ${call.id} has arguments that are not JSON`);
    }
  }
  return { type: 'tool_use', id: call.id, name: call.function.name, input };
}

function toolChoice(choice: unknown, parallel: boolean | undefined): Record<string, unknown> | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === null) return parallel === false ? { type: 'auto', ...noParallel } : undefined;
  if (choice === 'auto') return { type: 'auto', ...noParallel };
  if (choice === 'required') return { type: 'any', ...noParallel };
  if (choice === 'none') return { type: 'none' };
  const named = choice as { function?: { name?: string } };
  if (named.function?.name) return { type: 'tool', name: named.function.name, ...noParallel };
  throw new UntranslatableRequest('unsupported tool_choice');
}

/** OpenAI request -> Messages API body (without `stream`). */
export function toAnthropicRequest(request: ChatRequest): Record<string, unknown> {
  const system: Block[] = [];
  const messages: AnthropicMessage[] = [];
  const push = (role: AnthropicMessage['role'], blocks: Block[]) => {
    if (blocks.length === 0) return;
    // Anthropic wants alternating turns; consecutive same-role messages (e.g. several tool results)
    // become one turn.
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const message of request.messages) {
    if (message.role === 'system' || message.role === 'developer') {
      const text = textOf(message.content);
      if (text !== '') system.push({ type: 'text', text });
    } else if (message.role === 'user') {
      push('user', contentBlocks(message.content));
    } else if (message.role === 'assistant') {
      push('assistant', [...contentBlocks(message.content), ...(message.tool_calls ?? []).map(toolUse)]);
    } else if (message.role === 'tool') {
      if (!message.tool_call_id) throw new UntranslatableRequest('tool message without tool_call_id');
      push('user', [{ type: 'tool_result', tool_use_id: message.tool_call_id, content: textOf(message.content) }]);
    }
  }
  const body: Record<string, unknown> = {
    model: request.model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system.length > 0) body.system = system;
  if (request.stop != null) body.stop_sequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  // OpenAI allows temperature up to 2, Anthropic up to 1.
  if (request.temperature != null) body.temperature = Math.min(1, request.temperature);
  if (request.top_p != null) body.top_p = request.top_p;
  if (request.user) body.metadata = { user_id: request.user };
  if (request.tools?.length) {
    body.tools = request.tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description ? { description: t.function.description } : {}),
      input_schema: t.function.parameters ?? { type: 'object', properties: {} },
    }));
  }
  const choice = toolChoice(request.tool_choice, request.parallel_tool_calls);
  if (choice && request.tools?.length) body.tool_choice = choice;
  return body;
}

export function finishReason(stopReason: string | null | undefined): FinishReason | null {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    case null:
    case undefined:
      return null;
    default:
      return 'stop';
  }
}

const tokens = z.nullish(z.number().check(z.nonnegative()));
export const anthropicUsageSchema = z.looseObject({
  input_tokens: tokens,
  output_tokens: tokens,
  cache_read_input_tokens: tokens,
  cache_creation_input_tokens: tokens,
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/** Anthropic counts cached and cache-writing input apart from `input_tokens`; OpenAI counts them in. */
export function toUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  const completion = usage.output_tokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cacheRead } };
}

export const anthropicMessageSchema = z.looseObject({
  id: z.string(),
  model: z.optional(z.string()),
  content: z.array(z.looseObject({ type: z.string() })),
  stop_reason: z.nullish(z.string()),
  usage: anthropicUsageSchema,
});

/** Messages API response -> OpenAI chat completion. */
export function fromAnthropicResponse(message: z.infer<typeof anthropicMessageSchema>, model: string, created: number): ChatCompletion {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    if (block.type === 'tool_use') {
      toolCalls.push({ id: String(block.id), type: 'function', function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) } });
    }
    // thinking / redacted_thinking blocks are not part of the OpenAI answer.
  }
  const content = texts.length > 0 ? texts.join('') : null;
  return {
    id: message.id,
    object: 'chat.completion',
    created,
    model: message.model ?? model,
    choices: [{
      index: 0,
      message: { role: 'assistant', content, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
      finish_reason: finishReason(message.stop_reason),
      logprobs: null,
    }],
    usage: toUsage(message.usage),
  };
}
