// The edge's request validation: the explicit parameter list, route allowances, `store`, shape limits.
import { describe, expect, it } from 'vitest';
import { parameterPolicy, parseChatRequest } from '#core/chat/chat-request-schema.ts';
import { RouterError } from '#core/shared/errors.ts';

const base = () => ({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] });

function rejection(body: unknown, routes?: Parameters<typeof parameterPolicy>[0]): { status: number; code: string | null; param: string | null; message: string } {
  try {
    parseChatRequest(body, parameterPolicy(routes, body));
  } catch (error) {
    expect(error).toBeInstanceOf(RouterError);
    const e = error as RouterError;
    return { status: e.status, code: e.code, param: e.param, message: e.message };
  }
  throw new Error('expected a rejection');
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('parameters the router forwards', () => {
  it('names an unknown top-level parameter as OpenAI does', () => {
    expect(rejection({ ...base(), prediction: { type: 'content', content: 'x' } })).toMatchObject({ status: 400, code: 'unknown_parameter', param: 'prediction' });
    expect(rejection({ ...base(), metadata: { a: 'b' } })).toMatchObject({ code: 'unknown_parameter', param: 'metadata' });
    // Known, but refused by value: options the catalog has no price for.
    expect(rejection({ ...base(), web_search_options: {} })).toMatchObject({ status: 400, code: 'invalid_value', param: 'web_search_options' });
    expect(rejection({ ...base(), modalities: ['audio'] })).toMatchObject({ status: 400, param: 'modalities[0]' });
  });

  it('names an unknown field inside a message, a part or a tool', () => {
    expect(rejection({ ...base(), messages: [{ role: 'user', content: 'x', tool_call_id: [null] }] }))
      .toMatchObject({ status: 400, code: 'unknown_parameter', param: 'messages[0].tool_call_id' });
    expect(rejection({ ...base(), messages: [{ role: 'user', content: [{ type: 'text', text: 'x', extra: 1 }] }] }).status).toBe(400);
    expect(rejection({ ...base(), tools: [{ type: 'function', function: { name: 'f' }, x: 1 }] }))
      .toMatchObject({ code: 'unknown_parameter', param: 'tools[0].x' });
  });

  it('rejects nulls inside arrays with a 400 naming the field', () => {
    expect(rejection({ ...base(), messages: [{ role: 'tool', content: 'x', tool_call_id: [null] }] }))
      .toMatchObject({ status: 400, code: 'invalid_value', param: 'messages[0].tool_call_id' });
    expect(rejection({ ...base(), stop: [null] })).toMatchObject({ status: 400 });
    expect(rejection({ ...base(), messages: [null] })).toMatchObject({ status: 400 });
  });

  it('accepts store but never forwards it unless the route allows it', () => {
    const request = parseChatRequest({ ...base(), store: true });
    expect('store' in request).toBe(false);
    const routes = { auto: { strategy: 'balanced' as const, allowParameters: ['store', 'prediction'] } };
    const body = { ...base(), store: true, prediction: { type: 'content', content: 'x' } };
    const allowed = parseChatRequest(body, parameterPolicy(routes, body));
    expect(allowed).toMatchObject({ store: true, prediction: { type: 'content', content: 'x' } });
  });

  it('lets extras through only for the route that allows them', () => {
    const routes = { research: { strategy: 'balanced' as const, allowParameters: ['prediction'] } };
    expect(rejection({ ...base(), prediction: {} }, routes).code).toBe('unknown_parameter');
    expect(() => parseChatRequest({ ...base(), model: 'research', prediction: {} }, parameterPolicy(routes, { model: 'research' }))).not.toThrow();
  });
});

describe('shape limits', () => {
  it('refuses deep nesting anywhere, naming the limit, without overflowing the stack', () => {
    const deep = rejection({ ...base(), tools: [{ type: 'function', function: { name: 'f', parameters: nested(100_000) } }] });
    expect(deep).toMatchObject({ status: 400, code: 'nesting_too_deep' });
    expect(deep.message).toContain('64 levels');
    expect(deep.param?.startsWith('tools[0].function.parameters')).toBe(true);
    expect(rejection({ ...base(), x: nested(100_000) }).code).toBe('nesting_too_deep');
  });

  it('refuses huge arrays and objects, naming the limit', () => {
    expect(rejection({ ...base(), stop: Array.from({ length: 5000 }, () => 'x') })).toMatchObject({ status: 400, code: 'array_too_long', param: 'stop' });
    const keys = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]));
    expect(rejection({ ...base(), logit_bias: keys })).toMatchObject({ status: 400, code: 'too_many_keys', param: 'logit_bias' });
  });

  it('accepts an ordinary tool schema of realistic depth', () => {
    const parameters = { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'array', items: { type: 'string' } } } } } };
    expect(() => parseChatRequest({ ...base(), tools: [{ type: 'function', function: { name: 'f', parameters } }] })).not.toThrow();
  });
});
