// A minimal OpenAI-compatible upstream that answers at once (JSON, or a short SSE stream), in a
// process of its own so that neither gateway shares its event loop. Each answer carries the time
// the request arrived (x-mock-received-at, ms since the epoch with fractions) for the timeline, and
// after the message 'arrivals' each arrival is also sent to the parent (the store round-trip table
// needs them; a message per request would otherwise cost the mock and the bench CPU under load).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const now = (): number => performance.timeOrigin + performance.now();
const usage = { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 };

let noteArrivals = false;
process.on('message', (message) => { if (message === 'arrivals') noteArrivals = true; });

const server = createServer((req, res) => {
  const receivedAt = now();
  if (noteArrivals) process.send?.({ arrival: receivedAt });
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    let body: { stream?: boolean; model?: string } = {};
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8')) as typeof body;
    } catch {
      // A GET (models) or an empty body: answered below as JSON.
    }
    const model = body.model ?? 'mock-model';
    const headers = { 'x-mock-received-at': receivedAt.toFixed(3) };
    if (!req.url?.includes('/chat/completions')) {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model' }] }));
      return;
    }
    const id = `chatcmpl-mock${Math.random().toString(36).slice(2, 10)}`;
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({
        id, object: 'chat.completion', created, model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the mock.' }, finish_reason: 'stop' }],
        usage,
      }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
    const chunk = (delta: object, finish: string | null): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    for (const word of ['Hello', ' from', ' the', ' mock.']) res.write(chunk({ content: word }, null));
    res.write(chunk({}, 'stop'));
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
process.on('disconnect', () => process.exit(0));
