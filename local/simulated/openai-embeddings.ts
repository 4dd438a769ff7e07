// Simulated OpenAI `POST /v1/embeddings`: a deterministic unit vector per text (seeded by its hash),
// `dimensions` long (1536 by default), with usage counted like the simulated chat answers.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { countTokens } from './answer-text.ts';
import { sendJson } from './simulated-upstream.ts';

function vectorFor(text: string, dimensions: number): number[] {
  const values: number[] = [];
  let block = createHash('sha256').update(text).digest();
  while (values.length < dimensions) {
    for (let i = 0; i + 1 < block.length && values.length < dimensions; i += 2) values.push(block.readInt16LE(i) / 32768);
    block = createHash('sha256').update(block).digest();
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((v) => v / norm);
}

export function replyEmbeddings(res: ServerResponse, rawBody: string): void {
  let body: { model?: unknown; input?: unknown; dimensions?: unknown };
  try {
    body = JSON.parse(rawBody) as typeof body;
  } catch {
    return sendJson(res, 400, { error: { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null } });
  }
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (typeof body.model !== 'string' || !Array.isArray(inputs) || inputs.length === 0 || !inputs.every((i) => typeof i === 'string')) {
    return sendJson(res, 400, { error: { message: "Invalid 'input' or missing 'model'.", type: 'invalid_request_error', param: 'input', code: null } });
  }
  const dimensions = typeof body.dimensions === 'number' && body.dimensions > 0 ? Math.min(4096, body.dimensions) : 1536;
  const tokens = inputs.reduce((sum: number, text: string) => sum + countTokens(text), 0);
  sendJson(res, 200, {
    object: 'list',
    data: inputs.map((text: string, index) => ({ object: 'embedding', index, embedding: vectorFor(text, dimensions) })),
    model: body.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
