// Simulated Anthropic provider: POST /v1/messages (JSON and the named SSE events message_start ...
// message_stop) and GET /v1/models, with Anthropic's `{"type":"error","error":{...}}` bodies for a
// missing key or version header, bad JSON, missing max_tokens and overload.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countTokens, promptText, requestedTool, simulatedAnswer, stableId, streamPieces, truncateToTokens } from './answer-text.ts';
import { sendJson, sleep, writeIfOpen } from './simulated-upstream.ts';
import type { SimulatedContext } from './simulated-upstream.ts';

export { startSimulatedUpstream } from './simulated-upstream.ts';

const MODELS = ['sim-claude-haiku', 'sim-claude-sonnet'];

function anthropicError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: `req_sim${stableId(message)}` });
}

interface MessagesBody {
  model?: unknown;
  messages?: unknown;
  system?: unknown;
  max_tokens?: unknown;
  stream?: unknown;
  tools?: Array<{ name?: unknown }>;
}
type ValidBody = MessagesBody & { model: string; max_tokens: number; messages: Array<{ role?: unknown; content?: unknown }> };

export async function anthropicHandler(req: IncomingMessage, res: ServerResponse, ctx: SimulatedContext): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (!req.headers['x-api-key']) {
    return anthropicError(res, 401, 'authentication_error', 'x-api-key header is required');
  }
  if (req.method === 'GET' && path === '/v1/models') {
    const data = MODELS.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
    return sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id, last_id: data.at(-1)?.id });
  }
  if (req.method !== 'POST' || path !== '/v1/messages') {
    return anthropicError(res, 404, 'not_found_error', 'Not Found');
  }
  if (!req.headers['anthropic-version']) {
    return anthropicError(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
  }
  let body: MessagesBody;
  try {
    body = JSON.parse(ctx.body) as MessagesBody;
  } catch {
    return anthropicError(res, 400, 'invalid_request_error', 'There was an issue with your request body: invalid JSON');
  }
  if (!body || typeof body.model !== 'string') return anthropicError(res, 400, 'invalid_request_error', 'model: Field required');
  if (typeof body.max_tokens !== 'number') return anthropicError(res, 400, 'invalid_request_error', 'max_tokens: Field required');
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return anthropicError(res, 400, 'invalid_request_error', 'messages: at least one message is required');
  }
  if (ctx.shouldFail()) {
    await sleep(ctx.latencyMs / 3);
    return anthropicError(res, 503, 'overloaded_error', 'Overloaded');
  }
  await reply(res, ctx, body as ValidBody);
}

async function reply(res: ServerResponse, ctx: SimulatedContext, body: ValidBody): Promise<void> {
  const { text, truncated } = truncateToTokens(simulatedAnswer(body.model, body.messages), body.max_tokens);
  const toolNames = (body.tools ?? []).map((t) => t.name).filter((n): n is string => typeof n === 'string');
  const tool = requestedTool(toolNames, body.messages);
  const id = `msg_sim${stableId(body.model + text)}`;
  const inputTokens = countTokens(promptText(body.messages, body.system));
  const outputTokens = tool ? 12 : countTokens(text);
  const stopReason = tool ? 'tool_use' : truncated ? 'max_tokens' : 'end_turn';
  const toolBlock = tool ? { type: 'tool_use', id: `toolu_sim${stableId(tool + text)}`, name: tool, input: {} } : undefined;
  const usage = { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens };
  await sleep(ctx.latencyMs);

  if (body.stream !== true) {
    const content = toolBlock ? [toolBlock] : [{ type: 'text', text }];
    return sendJson(res, 200, { id, type: 'message', role: 'assistant', model: body.model, content, stop_reason: stopReason, stop_sequence: null, usage });
  }

  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (type: string, payload: object) => writeIfOpen(res, `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`);
  const message = { id, type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } };
  if (!send('message_start', { message })) return;
  if (toolBlock) {
    send('content_block_start', { index: 0, content_block: { ...toolBlock, input: {} } });
    send('ping', {});
    send('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '' } });
    send('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '{}' } });
  } else {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('ping', {});
    for (const piece of streamPieces(text)) {
      await sleep(ctx.tokenDelayMs);
      if (!send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } })) return;
    }
  }
  send('content_block_stop', { index: 0 });
  send('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } });
  if (send('message_stop', {})) res.end();
}
