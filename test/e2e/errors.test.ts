// Bad input gets an OpenAI-shaped 4xx naming the problem: never a 500, never a stack trace.
import OpenAI, { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../support/local-stack-fixture.ts';

const { stack, client } = useTestStack();

const hello = [{ role: 'user' as const, content: 'hello' }];

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: { error: Record<string, unknown> } }> {
  const res = await fetch(`${stack.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, json: await res.json() as { error: Record<string, unknown> } };
}

function expectOpenAiError(json: { error: Record<string, unknown> }): void {
  expect(typeof json.error.message).toBe('string');
  expect(typeof json.error.type).toBe('string');
  expect(String(json.error.message)).not.toMatch(/\n\s+at /); // no stack trace
}

describe('client errors through the openai client', () => {
  it('400 names a missing field', async () => {
    const error = await client.chat.completions.create({ model: 'auto' } as never).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as APIError).param).toBe('messages');
    expect((error as APIError).code).toBe('missing_required_parameter');
  });

  it('400 names a bad nested field', async () => {
    const error = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'x' }], temperature: 7 })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as APIError).param).toBe('temperature');
  });

  it('404 for an unknown model, with model_not_found', async () => {
    const error = await client.chat.completions.create({ model: 'gpt-1', messages: hello }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as APIError).code).toBe('model_not_found');
  });

  it('401 for an unknown key and for no key', async () => {
    const stranger = new OpenAI({ baseURL: stack.baseUrl, apiKey: `sk-lr-${'x'.repeat(43)}`, maxRetries: 0 });
    const error = await stranger.chat.completions.create({ model: 'auto', messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);

    const res = await fetch(`${stack.baseUrl}/models`);
    expect(res.status).toBe(401);
    expectOpenAiError(await res.json() as { error: Record<string, unknown> });
  });

  it('400 naming the header for a bad routing header', async () => {
    const error = await client.chat.completions
      .create({ model: 'auto', messages: hello }, { headers: { 'x-router-strategy': 'cheapest-please' } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as APIError).param).toBe('x-router-strategy');
    expect((error as APIError).code).toBe('invalid_request'); // as docs/api.md says
  });

  it('400 explaining which constraint excluded what when no model fits', async () => {
    const error = await client.chat.completions
      .create({ model: 'auto', messages: hello, max_tokens: 10_000_000 })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as APIError).code).toBe('no_model_available');
    expect((error as APIError).message).toMatch(/max_output|context_window/);
  });
});

describe('malformed requests on the wire', () => {
  it('400 for a body that is not JSON', async () => {
    const { status, json } = await post('{"model": "auto", "messages": [');
    expect(status).toBe(400);
    expect(json.error.code).toBe('invalid_json');
    expectOpenAiError(json);
  });

  it('400 for a JSON body that is not an object', async () => {
    const { status, json } = await post('[1,2,3]');
    expect(status).toBe(400);
    expectOpenAiError(json);
  });

  it('400 for an empty body', async () => {
    const { status, json } = await post('');
    expect(status).toBe(400);
    expectOpenAiError(json);
  });

  it('413 for a body over the limit', async () => {
    const huge = JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }] });
    const { status, json } = await post(huge);
    expect(status).toBe(413);
    expect(json.error.code).toBe('request_too_large');
  });

  it('405 for the wrong method and 404 for an unknown path', async () => {
    const auth = { authorization: `Bearer ${stack.apiKey}` };
    const wrongMethod = await fetch(`${stack.baseUrl}/chat/completions`, { headers: auth });
    expect(wrongMethod.status).toBe(405);
    expectOpenAiError(await wrongMethod.json() as { error: Record<string, unknown> });

    const unknown = await fetch(`${stack.baseUrl}/audio/speech`, { method: 'POST', headers: auth, body: '{}' });
    expect(unknown.status).toBe(404);
    const body = await unknown.json() as { error: Record<string, unknown> };
    expectOpenAiError(body);
    expect(body.error).toMatchObject({ code: 'unknown_url', message: expect.stringContaining('/v1/batches') });
  });

  it('400 for a wrong content type', async () => {
    const { status, json } = await post('model=auto', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(status).toBe(400);
    expect(json.error.code).toBe('invalid_content_type');
  });
});
