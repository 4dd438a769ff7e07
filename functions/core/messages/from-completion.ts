// The router's ChatCompletion -> an Anthropic Messages API response.
import type { ChatCompletion, FinishReason, Usage } from '../chat/openai-types.ts';

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

export interface MessagesUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export type ResponseBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

export interface MessagesResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ResponseBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: MessagesUsage;
}

export function stopReason(finish: FinishReason | null | undefined): StopReason | null {
  switch (finish) {
    case 'length': return 'max_tokens';
    case 'tool_calls':
    case 'function_call': return 'tool_use';
    case 'content_filter': return 'refusal';
    case 'stop': return 'end_turn';
    default: return null;
  }
}

/** OpenAI counts cached input inside prompt_tokens; Anthropic reports it apart from input_tokens. */
export function messagesUsage(usage: Usage | null | undefined): MessagesUsage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const out: MessagesUsage = { input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached), output_tokens: usage?.completion_tokens ?? 0 };
  if (cached > 0) out.cache_read_input_tokens = cached;
  return out;
}

/** A tool call's arguments as an object; arguments that are not a JSON object are kept under `_raw`. */
export function toolInput(argumentsText: string): unknown {
  if (argumentsText.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(argumentsText);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : { _raw: argumentsText };
  } catch {
    return { _raw: argumentsText };
  }
}

export function messageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id.replace(/[^A-Za-z0-9_-]/g, '')}`;
}

export function fromChatCompletion(completion: ChatCompletion): MessagesResponse {
  const choice = completion.choices[0];
  const content: ResponseBlock[] = [];
  const text = choice?.message.content;
  if (typeof text === 'string' && text !== '') content.push({ type: 'text', text });
  for (const call of choice?.message.tool_calls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call.function.arguments) });
  }
  return {
    id: messageId(completion.id),
    type: 'message',
    role: 'assistant',
    model: completion.model,
    content,
    stop_reason: stopReason(choice?.finish_reason),
    stop_sequence: null,
    usage: messagesUsage(completion.usage),
  };
}
