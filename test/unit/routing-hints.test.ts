import { describe, expect, it } from 'vitest';
import { InvalidRequestError, NotFoundError } from '#core/shared/errors.ts';
import type { ChatRequest } from '#core/chat/openai-types.ts';
import { resolveRoutingInput } from '#core/routing/hints.ts';
import type { RoutingHints } from '#core/routing/hints.ts';
import { catalogOf, modelEntry } from '../support/catalog-fixtures.ts';

const catalog = catalogOf([modelEntry('a'), modelEntry('b')], {
  defaults: { strategy: 'balanced', assumedOutputTokens: 500, maxAttempts: 2 },
  routes: {
    cheap: { strategy: 'cost-first', minQuality: 0.7, deny: ['b'], maxAttempts: 4 },
    fast: { strategy: 'balanced', weights: { quality: 0.2, cost: 0.2, latency: 0.6 } },
  },
});

const request = (model: string, overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  model,
  messages: [{ role: 'user', content: 'hello' }],
  ...overrides,
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('resolveRoutingInput: what the model names', () => {
  it("routes 'auto' through the synthesised auto route with catalog defaults", () => {
    const input = resolveRoutingInput(catalog, request('auto'));

    // The synthesised `auto` is the learned router since issue 21 (was: defaults.strategy, balanced here).
    expect(input).toMatchObject({ mode: 'route', routeName: 'auto', strategy: 'learned', maxAttempts: 2, requestedOutputTokens: 500 });
    expect(input.weights).toEqual({ quality: 0.5, cost: 0.3, latency: 0.2 });
    expect(input.estimatedInputTokens).toBeGreaterThan(0);
  });

  it("takes a named route's strategy, floor, lists, weights and attempts", () => {
    const cheap = resolveRoutingInput(catalog, request('cheap'));
    const fast = resolveRoutingInput(catalog, request('fast'));

    expect(cheap).toMatchObject({ mode: 'route', routeName: 'cheap', strategy: 'cost-first', minQuality: 0.7, deny: ['b'], maxAttempts: 4 });
    expect(fast.weights).toEqual({ quality: 0.2, cost: 0.2, latency: 0.6 });
  });

  it('pins a concrete model id', () => {
    const input = resolveRoutingInput(catalog, request('b', { max_tokens: 77, tools: [{ type: 'function', function: { name: 'f' } }] }));

    expect(input).toMatchObject({ mode: 'model', pinnedModelId: 'b', requestedOutputTokens: 77, requiredCapabilities: ['tools'] });
    expect(input.routeName).toBeUndefined();
  });

  it('answers 404 model_not_found for an unknown model', () => {
    const error = thrown(() => resolveRoutingInput(catalog, request('gpt-9')));

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, param: 'model', code: 'model_not_found' });
    expect((error as Error).message).toMatch(/^The model 'gpt-9' does not exist/);
  });

  it('does not treat inherited object keys as routes', () => {
    expect(() => resolveRoutingInput(catalog, request('constructor'))).toThrow(NotFoundError);
  });
});

describe('resolveRoutingInput: headers', () => {
  const withHints = (hints: RoutingHints, model = 'cheap') => resolveRoutingInput(catalog, request(model), hints);

  it("override the route's settings", () => {
    const input = withHints({ strategy: 'quality-first', task: 'code', minQuality: '0.9', maxCost: '0.002' });

    expect(input).toMatchObject({ strategy: 'quality-first', taskType: 'code', minQuality: 0.9, maxCostUsd: 0.002, deny: ['b'] });
  });

  it('apply in model mode too', () => {
    expect(withHints({ strategy: 'cost-first', maxCost: '1' }, 'a')).toMatchObject({ mode: 'model', strategy: 'cost-first', maxCostUsd: 1 });
  });

  it('treat empty values as absent and accept surrounding whitespace and case', () => {
    expect(withHints({ strategy: '  ', minQuality: '' })).toMatchObject({ strategy: 'cost-first', minQuality: 0.7 });
    expect(withHints({ strategy: ' Balanced ' }).strategy).toBe('balanced');
  });

  it.each([
    [{ strategy: 'cheapest' }, 'x-router-strategy', /expected one of cost-first, quality-first, balanced/],
    [{ minQuality: '1.5' }, 'x-router-min-quality', /from 0 to 1/],
    [{ minQuality: 'high' }, 'x-router-min-quality', /from 0 to 1/],
    [{ maxCost: '0' }, 'x-router-max-cost', /positive/],
    [{ maxCost: '-1' }, 'x-router-max-cost', /positive/],
    [{ maxCost: '0x10' }, 'x-router-max-cost', /positive/],
    [{ maxCost: 'Infinity' }, 'x-router-max-cost', /positive/],
    [{ task: 'code review!' }, 'x-router-task', /task name/],
  ] as const)('reject %o with a 400 naming %s', (hints, header, message) => {
    const error = thrown(() => withHints(hints));

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ status: 400, param: header });
    expect((error as Error).message).toContain(header);
    expect((error as Error).message).toMatch(message);
  });

  it('validate headers before resolving the model', () => {
    expect(() => resolveRoutingInput(catalog, request('nope'), { strategy: 'bad' })).toThrow(InvalidRequestError);
  });
});
