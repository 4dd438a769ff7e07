// Request normalisation for the response cache: what makes two requests "the same question".
// The exact key covers the whole normalised request; the semantic scope covers everything except the
// text of the last user message, which is what the differential check compares.
import type { ChatMessage, ChatRequest, ContentPart } from '../chat/openai-types.ts';

/** Request fields that never change the answer, so they never split the cache. */
const IGNORED_FIELDS = new Set([
  'model', 'messages', 'stream', 'stream_options', 'user', 'metadata', 'store', 'service_tier',
  'prompt_cache_key', 'safety_identifier', 'max_tokens', 'max_completion_tokens', 'n',
]);

/** JSON with object keys sorted at every level, so equal values always serialise identically. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Unicode NFC, LF line ends, no leading or trailing whitespace. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

function normaliseContent(content: ChatMessage['content'] | undefined): unknown {
  if (content === null || content === undefined) return null;
  if (typeof content === 'string') return normaliseText(content);
  // Text-only part lists mean the same as the joined string; other parts are kept as they are.
  if (content.every((p) => p.type === 'text')) return normaliseText(content.map((p) => (p as { text: string }).text).join('\n'));
  return content.map((p: ContentPart) => (p.type === 'text' ? { type: 'text', text: normaliseText((p as { text: string }).text) } : p));
}

/** The messages as they matter to the answer: role, content and tool-call plumbing. */
export function normaliseMessages(messages: readonly ChatMessage[]): unknown[] {
  return messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: normaliseContent(m.content),
    name: m.name,
    tool_calls: m.tool_calls?.length ? m.tool_calls : undefined,
    tool_call_id: m.tool_call_id,
  }));
}

/**
 * Every parameter that changes the answer, with nulls dropped and synonyms merged:
 * temperature, top_p, the output-token limit, stop, seed, penalties, tools, tool_choice,
 * response_format, reasoning_effort and any provider extra the client sent.
 */
export function answerParams(request: ChatRequest): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (IGNORED_FIELDS.has(key) || value === null || value === undefined) continue;
    params[key] = value;
  }
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) params['max_tokens'] = maxTokens;
  if (typeof params['stop'] === 'string') params['stop'] = [params['stop']];
  if (!request.tools?.length) {
    delete params['tools'];
    delete params['tool_choice'];
    delete params['parallel_tool_calls'];
  }
  return params;
}

/** What the semantic side compares, or undefined when the request has no plain-text last user turn. */
export interface SemanticParts {
  /** The text of the last user message (what the differential check compares and the embedder embeds). */
  text: string;
  /** Everything else: earlier messages and the answer-changing parameters, matched exactly. */
  context: unknown;
}

export function semanticParts(request: ChatRequest): SemanticParts | undefined {
  const last = request.messages.at(-1);
  if (!last || last.role !== 'user') return undefined;
  const content = normaliseContent(last.content);
  if (typeof content !== 'string' || content === '') return undefined;
  return { text: content, context: { before: normaliseMessages(request.messages.slice(0, -1)), name: last.name, params: answerParams(request) } };
}
