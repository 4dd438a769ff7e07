// Simulated OpenAI-compatible provider: POST /v1/chat/completions (JSON and SSE ending in
// `data: [DONE]`, usage chunk on `stream_options.include_usage`) and GET /v1/models, with OpenAI's
// error bodies for a missing key, bad JSON and overload.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countTokens, promptText, requestedTool, simulatedAnswer, stableId, streamPieces, truncateToTokens } from './answer-text.ts';
import { sendJson, sleep, writeIfOpen } from './simulated-upstream.ts';
import type { SimulatedContext } from './simulated-upstream.ts';
import { replyEmbeddings } from './openai-embeddings.ts';

export { startSimulatedUpstream } from './simulated-upstream.ts';

const MODELS = ['sim-small', 'sim-large', 'sim-reasoner'];

function openAiError(res: ServerResponse, status: number, message: string, type: string, code: string | null = null): void {
  sendJson(res, status, { error: { message, type, param: null, code } });
}

interface ChatBody {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  tools?: Array<{ function?: { name?: unknown } }>;
}

export async function openAiHandler(req: IncomingMessage, res: ServerResponse, ctx: SimulatedContext): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  const auth = req.headers.authorization ?? '';
  if (!/^Bearer \S+/.test(auth)) {
    return openAiError(res, 401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", 'invalid_request_error');
  }
  if (req.method === 'GET' && path === '/v1/models') {
    const data = MODELS.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'simulated' }));
    return sendJson(res, 200, { object: 'list', data });
  }
  if (req.method === 'POST' && path === '/v1/embeddings') {
    if (ctx.shouldFail()) return openAiError(res, 503, 'The server is overloaded or not ready yet.', 'server_error');
    return replyEmbeddings(res, ctx.body);
  }
  if (req.method !== 'POST' || path !== '/v1/chat/completions') {
    return openAiError(res, 404, `Invalid URL (${req.method} ${path})`, 'invalid_request_error');
  }
  let body: ChatBody;
  try {
    body = JSON.parse(ctx.body) as ChatBody;
  } catch {
    return openAiError(res, 400, 'We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)', 'invalid_request_error');
  }
  if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages) || body.messages.length === 0) {
    return openAiError(res, 400, "Missing required parameter: 'model' or 'messages'.", 'invalid_request_error', 'missing_required_parameter');
  }
  if (ctx.shouldFail()) {
    await sleep(ctx.latencyMs / 3);
    return openAiError(res, 503, 'The server is overloaded or not ready yet.', 'server_error');
  }
  await reply(res, ctx, body as ChatBody & { model: string; messages: Array<{ role?: unknown; content?: unknown }> });
}

async function reply(res: ServerResponse, ctx: SimulatedContext, body: ChatBody & { model: string; messages: Array<{ role?: unknown; content?: unknown }> }): Promise<void> {
  const maxTokens = [body.max_completion_tokens, body.max_tokens].find((v) => typeof v === 'number') as number | undefined;
  const { text, truncated } = truncateToTokens(simulatedAnswer(body.model, body.messages), maxTokens);
  const toolNames = (body.tools ?? []).map((t) => t.function?.name).filter((n): n is string => typeof n === 'string');
  const tool = requestedTool(toolNames, body.messages);
  const id = `chatcmpl-sim${stableId(body.model + text)}`;
  const created = Math.floor(Date.now() / 1000);
  const promptTokens = countTokens(promptText(body.messages));
  const toolCall = tool ? { id: `call_${stableId(tool + text)}`, type: 'function', function: { name: tool, arguments: '{}' } } : undefined;
  const completionTokens = toolCall ? 8 : countTokens(text);
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
  const finish = toolCall ? 'tool_calls' : truncated ? 'length' : 'stop';
  await sleep(ctx.latencyMs);

  if (body.stream !== true) {
    const message = toolCall ? { role: 'assistant', content: null, tool_calls: [toolCall], refusal: null } : { role: 'assistant', content: text, refusal: null };
    return sendJson(res, 200, { id, object: 'chat.completion', created, model: body.model, choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage, system_fingerprint: 'fp_simulated' });
  }

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (delta: object, finishReason: string | null = null) => ({ id, object: 'chat.completion.chunk', created, model: body.model, system_fingerprint: 'fp_simulated', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] });
  const send = (payload: unknown) => writeIfOpen(res, `data: ${JSON.stringify(payload)}\n\n`);
  if (!send(chunk({ role: 'assistant', content: '', refusal: null }))) return;
  if (toolCall) {
    send(chunk({ tool_calls: [{ index: 0, id: toolCall.id, type: 'function', function: { name: tool, arguments: '' } }] }));
    send(chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }));
  } else {
    for (const piece of streamPieces(text)) {
      await sleep(ctx.tokenDelayMs);
      if (!send(chunk({ content: piece }))) return;
    }
  }
  send(chunk({}, finish));
  if (body.stream_options?.include_usage === true) {
    send({ id, object: 'chat.completion.chunk', created, model: body.model, system_fingerprint: 'fp_simulated', choices: [], usage });
  }
  if (writeIfOpen(res, 'data: [DONE]\n\n')) res.end();
}
