// Pure translation between OpenAI Chat Completions and Bedrock Converse / ConverseStream.
import type { ContentBlock, ConverseRequest, ConverseResponse, ConverseStreamOutput, Message, TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import type { ChatCompletion, ChatCompletionChunk, ChatMessage, ChatRequest, ContentPart, FinishReason, ToolCall, Usage } from '#core/chat/openai-types.ts';

/** The request cannot be expressed in Converse (the adapter reports it as bad_request). */
export class UntranslatableBedrockRequest extends Error {
  override name = 'UntranslatableBedrockRequest';
}

const IMAGE_FORMATS: Record<string, 'png' | 'jpeg' | 'gif' | 'webp'> = {
  'image/png': 'png', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp',
};

function imageBlock(url: string): ContentBlock {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  const format = data ? IMAGE_FORMATS[data[1]!.toLowerCase()] : undefined;
  // Converse takes image bytes or S3 locations only, never a URL to fetch.
  if (!data || !format) throw new UntranslatableBedrockRequest('Bedrock needs images as base64 data URLs (png, jpeg, gif or webp)');
  return { image: { format, source: { bytes: Buffer.from(data[2]!, 'base64') } } };
}

function blocks(content: ChatMessage['content']): ContentBlock[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.map((part: ContentPart): ContentBlock => {
    if (part.type === 'text' && typeof part.text === 'string') return { text: part.text };
    if (part.type === 'image_url') return imageBlock((part as { image_url: { url: string } }).image_url.url);
    throw new UntranslatableBedrockRequest(`content part type "${part.type}" is not supported by Bedrock`);
  });
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}

function toolUse(call: ToolCall): ContentBlock {
  let input: unknown = {};
  try {
    if (call.function.arguments.trim() !== '') input = JSON.parse(call.function.arguments);
  } catch {
    throw new UntranslatableBedrockRequest(`tool call ${call.id} has arguments that are not JSON`);
  }
  return { toolUse: { toolUseId: call.id, name: call.function.name, input: input as never } };
}

function toolChoice(choice: unknown): Record<string, unknown> | undefined {
  if (choice === undefined || choice === null || choice === 'none') return undefined;
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  const name = (choice as { function?: { name?: string } }).function?.name;
  if (name) return { tool: { name } };
  throw new UntranslatableBedrockRequest('unsupported tool_choice');
}

/** OpenAI request -> Converse input (shared by Converse and ConverseStream). */
export function toConverseInput(request: ChatRequest): ConverseRequest {
  const system: Array<{ text: string }> = [];
  const messages: Message[] = [];
  const push = (role: 'user' | 'assistant', content: ContentBlock[]) => {
    if (content.length === 0) return;
    // Converse requires alternating roles; several tool results form one user turn.
    const last = messages.at(-1);
    if (last?.role === role) last.content!.push(...content);
    else messages.push({ role, content });
  };
  for (const message of request.messages) {
    if (message.role === 'system' || message.role === 'developer') {
      const text = textOf(message.content);
      if (text !== '') system.push({ text });
    } else if (message.role === 'user') push('user', blocks(message.content));
    else if (message.role === 'assistant') push('assistant', [...blocks(message.content), ...(message.tool_calls ?? []).map(toolUse)]);
    else if (message.role === 'tool') {
      if (!message.tool_call_id) throw new UntranslatableBedrockRequest('tool message without tool_call_id');
      push('user', [{ toolResult: { toolUseId: message.tool_call_id, content: [{ text: textOf(message.content) }] } }]);
    }
  }
  const inferenceConfig: Record<string, unknown> = {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) inferenceConfig.maxTokens = maxTokens;
  if (request.temperature != null) inferenceConfig.temperature = request.temperature;
  if (request.top_p != null) inferenceConfig.topP = request.top_p;
  if (request.stop != null) inferenceConfig.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  const input: Record<string, unknown> = { modelId: request.model, messages };
  if (system.length > 0) input.system = system;
  if (Object.keys(inferenceConfig).length > 0) input.inferenceConfig = inferenceConfig;
  if (request.tools?.length) {
    const tools = request.tools.map((t) => ({
      toolSpec: {
        name: t.function.name,
        ...(t.function.description ? { description: t.function.description } : {}),
        inputSchema: { json: t.function.parameters ?? { type: 'object', properties: {} } },
      },
    }));
    const choice = toolChoice(request.tool_choice);
    input.toolConfig = { tools, ...(choice ? { toolChoice: choice } : {}) };
  }
  return input as unknown as ConverseRequest;
}

export function finishReason(stopReason: string | undefined): FinishReason | null {
  switch (stopReason) {
    case undefined: return null;
    case 'max_tokens':
    case 'model_context_window_exceeded': return 'length';
    case 'tool_use': return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered': return 'content_filter';
    default: return 'stop';
  }
}

/** Like Anthropic, Converse counts cache reads and writes apart from `inputTokens`. */
export function toUsage(usage: TokenUsage | undefined): Usage {
  const cacheRead = usage?.cacheReadInputTokens ?? 0;
  const prompt = (usage?.inputTokens ?? 0) + cacheRead + (usage?.cacheWriteInputTokens ?? 0);
  const completion = usage?.outputTokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cacheRead } };
}

/** Converse output -> OpenAI chat completion; undefined when there is no output message. */
export function fromConverseOutput(output: ConverseResponse, id: string, model: string, created: number): ChatCompletion | undefined {
  const message = output.output?.message;
  if (!message?.content) return undefined;
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (typeof block.text === 'string') texts.push(block.text);
    if (block.toolUse) {
      toolCalls.push({ id: block.toolUse.toolUseId ?? '', type: 'function', function: { name: block.toolUse.name ?? '', arguments: JSON.stringify(block.toolUse.input ?? {}) } });
    }
  }
  return {
    id, object: 'chat.completion', created, model,
    choices: [{
      index: 0,
      message: { role: 'assistant', content: texts.length > 0 ? texts.join('') : null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
      finish_reason: finishReason(output.stopReason),
      logprobs: null,
    }],
    usage: toUsage(output.usage),
  };
}

/** ConverseStream events -> OpenAI chunks (role first, deltas, finish, then a usage-only chunk). */
export class BedrockStreamTranslator {
  private readonly id: string;
  private readonly model: string;
  private readonly created: number;
  private readonly toolIndex = new Map<number, number>();

  constructor(id: string, model: string, created: number = Math.floor(Date.now() / 1000)) {
    this.id = id;
    this.model = model;
    this.created = created;
  }

  /** Exception members are handled by the caller (the SDK throws them while iterating). */
  accept(event: ConverseStreamOutput): ChatCompletionChunk[] {
    if (event.messageStart) return [this.chunk({ role: 'assistant', content: '' })];
    if (event.contentBlockStart?.start?.toolUse) {
      const start = event.contentBlockStart.start.toolUse;
      const index = this.toolIndex.size;
      this.toolIndex.set(event.contentBlockStart.contentBlockIndex ?? 0, index);
      return [this.chunk({ tool_calls: [{ index, id: start.toolUseId, type: 'function', function: { name: start.name, arguments: '' } }] })];
    }
    const delta = event.contentBlockDelta?.delta;
    if (delta?.text !== undefined) return delta.text === '' ? [] : [this.chunk({ content: delta.text })];
    if (delta?.toolUse?.input) {
      const index = this.toolIndex.get(event.contentBlockDelta?.contentBlockIndex ?? 0) ?? 0;
      return [this.chunk({ tool_calls: [{ index, function: { arguments: delta.toolUse.input } }] })];
    }
    if (event.messageStop) return [this.chunk({}, finishReason(event.messageStop.stopReason) ?? 'stop')];
    if (event.metadata) return [{ ...this.chunk({}), choices: [], usage: toUsage(event.metadata.usage) }];
    return []; // contentBlockStop, reasoning deltas, unknown members
  }

  private chunk(delta: ChatCompletionChunk['choices'][number]['delta'], finish: FinishReason | null = null): ChatCompletionChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] };
  }
}
