// Token estimates used for routing decisions (context-window fit and cost estimates) before any call.
//
// Heuristic, deliberately tokenizer-free so it is fast and deterministic:
//   - CJK ideographs, kana, Hangul and full-width forms: 1 token per character (BPE vocabularies
//     rarely merge them, and many split them into more, so this errs on neither side by much);
//   - everything else: 1 token per 4 characters (OpenAI's published rule of thumb for English),
//     rounded up;
//   - each message costs MESSAGE_OVERHEAD tokens for role/separators, the reply REPLY_PRIMING more;
//   - each image costs IMAGE_TOKENS (OpenAI's 'high' detail for a 1024x1024 image), 'low' LOW_DETAIL_IMAGE_TOKENS.
import type { Capability } from '../catalog/catalog-schema.ts';
import type { ChatMessage, ChatRequest, ContentPart } from '../chat/openai-types.ts';

export const MESSAGE_OVERHEAD = 4;
export const REPLY_PRIMING = 3;
export const IMAGE_TOKENS = 765;
export const LOW_DETAIL_IMAGE_TOKENS = 85;

function isCjk(cp: number): boolean {
  return (
    (cp >= 0x3000 && cp <= 0x30ff) || // CJK punctuation, Hiragana, Katakana
    (cp >= 0x3400 && cp <= 0x4dbf) || // CJK Extension A
    (cp >= 0x4e00 && cp <= 0x9fff) || // CJK Unified Ideographs
    (cp >= 0xac00 && cp <= 0xd7af) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) || // CJK compatibility ideographs
    (cp >= 0xff00 && cp <= 0xffef) || // half/full-width forms
    (cp >= 0x20000 && cp <= 0x2ffff) // CJK Extensions B-F
  );
}

/** Estimated tokens in a text: 1 per CJK character plus 1 per 4 other characters (rounded up). */
export function estimateTokens(text: string): number {
  let cjk = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x3000) {
      other++;
      continue;
    }
    const cp = text.codePointAt(i) ?? code;
    if (cp > 0xffff) i++; // astral character: skip the low surrogate
    if (isCjk(cp)) cjk++;
    else other++;
  }
  return cjk + Math.ceil(other / 4);
}

function partTokens(part: ContentPart): number {
  if (part.type === 'text' && typeof part['text'] === 'string') return estimateTokens(part['text']);
  if (part.type === 'image_url') {
    const detail = (part['image_url'] as { detail?: string } | undefined)?.detail;
    return detail === 'low' ? LOW_DETAIL_IMAGE_TOKENS : IMAGE_TOKENS;
  }
  return estimateTokens(JSON.stringify(part));
}

function messageTokens(message: ChatMessage): number {
  let tokens = MESSAGE_OVERHEAD;
  const content = message.content;
  if (typeof content === 'string') tokens += estimateTokens(content);
  else if (Array.isArray(content)) for (const part of content) tokens += partTokens(part);
  if (message.name) tokens += estimateTokens(message.name) + 1;
  if (message.tool_calls?.length) tokens += estimateTokens(JSON.stringify(message.tool_calls));
  if (message.tool_call_id) tokens += estimateTokens(message.tool_call_id);
  return tokens;
}

/** Estimated prompt tokens of a request: messages with per-message overhead, images, tool and schema definitions. */
export function estimateInputTokens(request: ChatRequest): number {
  let tokens = REPLY_PRIMING;
  for (const message of request.messages) tokens += messageTokens(message);
  if (request.tools?.length) tokens += estimateTokens(JSON.stringify(request.tools));
  if (request.response_format?.type === 'json_schema' && request.response_format.json_schema !== undefined) {
    tokens += estimateTokens(JSON.stringify(request.response_format.json_schema));
  }
  return tokens;
}

/** Output tokens the request may produce: max_completion_tokens, else max_tokens, else the catalog's assumption. */
export function requestedOutputTokens(request: ChatRequest, assumedOutputTokens: number): number {
  return request.max_completion_tokens ?? request.max_tokens ?? assumedOutputTokens;
}

/** Capabilities a model needs to serve the request: image parts -> vision, tools -> tools, JSON formats -> json. */
export function requiredCapabilities(request: ChatRequest): Capability[] {
  const needs: Capability[] = [];
  const hasImage = request.messages.some(
    (m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'),
  );
  if (hasImage) needs.push('vision');
  if (request.tools && request.tools.length > 0) needs.push('tools');
  const format = request.response_format?.type;
  if (format === 'json_object' || format === 'json_schema') needs.push('json');
  return needs;
}
