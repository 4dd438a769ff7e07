// Anthropic Messages request -> the router's ChatRequest (OpenAI Chat Completions shape), so every
// catalog model, of any provider, can answer a Messages API client through the same ChatService.
import type { ChatMessage, ChatRequest, ContentPart, ToolCall } from '../chat/openai-types.ts';
import type { MessagesContentBlock, MessagesRequest } from './messages-request-schema.ts';

type Block = MessagesContentBlock;

function imagePart(block: Extract<Block, { type: 'image' }>): ContentPart {
  const source = block.source;
  const url = source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url;
  return { type: 'image_url', image_url: { url } };
}

function userParts(blocks: Block[]): ContentPart[] {
  const parts: ContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'text') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image') parts.push(imagePart(block));
  }
  return parts;
}

/** A tool result's text; an error result is marked so the model can tell it from a normal result. */
function toolResultText(block: Extract<Block, { type: 'tool_result' }>): string {
  const content = block.content ?? '';
  const text = typeof content === 'string' ? content : content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  return block.is_error ? `Error: ${text}` : text;
}

function userMessages(content: MessagesRequest['messages'][number]['content']): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const out: ChatMessage[] = [];
  // Tool results answer the previous assistant turn's calls, so they come first, as OpenAI tool messages.
  const images: ContentPart[] = [];
  for (const block of content) {
    if (block.type !== 'tool_result') continue;
    out.push({ role: 'tool', tool_call_id: block.tool_use_id, content: toolResultText(block) });
    // Images inside a tool result have no place in an OpenAI tool message; they follow as user content.
    if (Array.isArray(block.content)) images.push(...userParts(block.content.filter((c) => c.type === 'image')));
  }
  const parts = [...images, ...userParts(content)];
  if (parts.length > 0) {
    const onlyText = parts.every((p) => p.type === 'text');
    out.push({ role: 'user', content: onlyText ? parts.map((p) => (p as { text: string }).text).join('') : parts });
  }
  return out;
}

function assistantMessage(content: MessagesRequest['messages'][number]['content']): ChatMessage | undefined {
  if (typeof content === 'string') return { role: 'assistant', content };
  const text = content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  const calls: ToolCall[] = content
    .filter((b): b is Extract<Block, { type: 'tool_use' }> => b.type === 'tool_use')
    .map((b) => ({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } }));
  if (text === '' && calls.length === 0) return undefined;
  return { role: 'assistant', content: text === '' ? null : text, ...(calls.length > 0 ? { tool_calls: calls } : {}) };
}

function toolChoice(choice: MessagesRequest['tool_choice']): Pick<ChatRequest, 'tool_choice' | 'parallel_tool_calls'> {
  if (!choice) return {};
  const parallel = 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true ? { parallel_tool_calls: false } : {};
  switch (choice.type) {
    case 'auto': return { tool_choice: 'auto', ...parallel };
    case 'any': return { tool_choice: 'required', ...parallel };
    case 'none': return { tool_choice: 'none' };
    case 'tool': return { tool_choice: { type: 'function', function: { name: choice.name } }, ...parallel };
  }
}

/** The system prompt as one text (Anthropic allows several text blocks; their order is kept). */
function systemText(system: MessagesRequest['system']): string {
  if (system === undefined) return '';
  return typeof system === 'string' ? system : system.map((b) => b.text).join('\n\n');
}

export function toChatRequest(request: MessagesRequest): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = systemText(request.system);
  if (system !== '') messages.push({ role: 'system', content: system });
  for (const message of request.messages) {
    if (message.role === 'user') messages.push(...userMessages(message.content));
    else {
      const assistant = assistantMessage(message.content);
      if (assistant) messages.push(assistant);
    }
  }
  const chat: ChatRequest = { model: request.model, messages, max_tokens: request.max_tokens };
  if (request.stop_sequences?.length) chat.stop = request.stop_sequences;
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.top_p !== undefined) chat.top_p = request.top_p;
  if (request.metadata?.user_id) chat.user = request.metadata.user_id;
  if (request.tools?.length) {
    chat.tools = request.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.input_schema },
    }));
    Object.assign(chat, toolChoice(request.tool_choice));
  }
  return chat;
}
