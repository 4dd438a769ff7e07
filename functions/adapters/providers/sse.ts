// Server-Sent Events parser (WHATWG "event stream" interpretation) over a fetch Response body.
// Providers split frames wherever their proxies flush, so nothing here assumes a chunk holds whole
// lines, whole events or even whole UTF-8 characters.

export interface SseEvent {
  /** The `event:` field; absent for the default "message" type. */
  event?: string;
  /** All `data:` lines of the event joined with "\n". */
  data: string;
  id?: string;
}

interface Pending {
  event: string | undefined;
  data: string[];
  id: string | undefined;
}

const emptyPending = (): Pending => ({ event: undefined, data: [], id: undefined });

/**
 * Yields one SseEvent per dispatched event. Breaking out of the loop cancels the body so the
 * upstream connection is released instead of draining in the background.
 */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent, void, undefined> {
  const reader = body.getReader();
  // `stream: true` keeps a multi-byte character split across chunks until its last byte arrives.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  let buffer = '';
  let pending = emptyPending();
  let finished = false;

  // Applies one complete line; returns an event when the line is the blank line that ends one.
  const takeLine = (line: string): SseEvent | undefined => {
    if (line === '') {
      const done = pending;
      pending = emptyPending();
      // Per spec an event without any data line is not dispatched.
      if (done.data.length === 0) return undefined;
      const event: SseEvent = { data: done.data.join('\n') };
      if (done.event !== undefined && done.event !== '') event.event = done.event;
      if (done.id !== undefined) event.id = done.id;
      return event;
    }
    if (line.startsWith(':')) return undefined; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') pending.data.push(value);
    else if (field === 'event') pending.event = value;
    else if (field === 'id' && !value.includes('\0')) pending.id = value;
    // `retry` and unknown fields are ignored: reconnection is the router's business, not ours.
    return undefined;
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        buffer += decoder.decode();
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let start = 0;
      for (;;) {
        const cr = buffer.indexOf('\r', start);
        const lf = buffer.indexOf('\n', start);
        if (cr === -1 && lf === -1) break;
        let end: number;
        let next: number;
        if (lf !== -1 && (cr === -1 || lf < cr)) {
          end = lf;
          next = lf + 1;
        } else {
          // A CR at the very end may be the first half of a CRLF split across chunks: wait for more.
          if (cr === buffer.length - 1) break;
          end = cr;
          next = buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
        }
        const event = takeLine(buffer.slice(start, end));
        start = next;
        if (event) yield event;
      }
      buffer = buffer.slice(start);
    }
    // Some providers close right after the last `data:` line without the blank line (or even the
    // newline); dispatch what is there rather than silently dropping e.g. a final `[DONE]`.
    const tail = buffer.replace(/\r$/, '');
    const lines = tail === '' ? [] : tail.split(/\r\n|\r|\n/);
    lines.push('');
    for (const line of lines) {
      const event = takeLine(line);
      if (event) yield event;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
