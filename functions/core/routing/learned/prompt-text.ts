// The text the learned router and the task detector read: the last user message (what RouteLLM routes
// on), its text parts joined; images and tool results are ignored.
import type { ChatRequest } from '../../chat/openai-types.ts';

/** Text of the last user message, or '' when there is none. */
export function promptText(request: ChatRequest): string {
  const messages = Array.isArray(request.messages) ? request.messages : [];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const m = messages[i]!;
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) {
      return m.content
        .map((p) => (p.type === 'text' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
        .filter((t) => t !== '')
        .join('\n');
    }
    return '';
  }
  return '';
}
