// Cache keys and policy: what makes two requests the same question, and which requests are cacheable.
import { describe, expect, it } from 'vitest';
import { cacheKeys, exactHash, scopeHash, signatureHash } from '#core/cache/keys.ts';
import { canonicalJson, semanticParts } from '#core/cache/normalise.ts';
import { isCacheable, resolvePolicy } from '#core/cache/policy.ts';
import type { ChatRequest } from '#core/chat/openai-types.ts';

const base: ChatRequest = { model: 'cheap', temperature: 0, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }] };

describe('exactHash', () => {
  it('ignores stream, stream_options, user, key order, null parameters and surrounding whitespace', () => {
    const same: ChatRequest[] = [
      { ...base, stream: true, stream_options: { include_usage: true }, user: 'u-1' },
      { temperature: 0, messages: [{ role: 'system', content: [{ type: 'text', text: ' Be brief.' }] }, { role: 'user', content: 'Hello there\r\n' }], model: 'other', seed: null },
      { ...base, max_completion_tokens: null, tools: [], tool_choice: 'auto' },
    ];
    for (const request of same) expect(exactHash(request, 'cheap')).toBe(exactHash(base, 'cheap'));
  });

  it('changes with every parameter that changes the answer, the route and the messages', () => {
    const variants: ChatRequest[] = [
      { ...base, temperature: 0.2 }, { ...base, top_p: 0.5 }, { ...base, max_tokens: 10 }, { ...base, stop: ['\n'] },
      { ...base, seed: 7 }, { ...base, response_format: { type: 'json_object' } }, { ...base, reasoning_effort: 'high' },
      { ...base, tools: [{ type: 'function', function: { name: 'f' } }] }, { ...base, presence_penalty: 1 },
      { ...base, messages: [{ role: 'user', content: 'Hello there' }] }, { ...base, messages: [base.messages[0]!, { role: 'user', content: 'hello there' }] },
    ];
    const hashes = new Set([exactHash(base, 'cheap'), exactHash(base, 'best'), ...variants.map((r) => exactHash(r, 'cheap'))]);
    expect(hashes.size).toBe(variants.length + 2);
    expect(exactHash({ ...base, max_tokens: 10 }, 'cheap')).toBe(exactHash({ ...base, max_completion_tokens: 10 }, 'cheap'));
  });
});

describe('semantic scope', () => {
  it('compares the last user message only and scopes by everything else', () => {
    const parts = semanticParts(base)!;
    expect(parts.text).toBe('Hello there');
    const reworded = semanticParts({ ...base, messages: [base.messages[0]!, { role: 'user', content: 'Hi there' }] })!;
    const otherSystem = semanticParts({ ...base, messages: [{ role: 'system', content: 'Be verbose.' }, base.messages[1]!] })!;
    expect(scopeHash(reworded, 'cheap')).toBe(scopeHash(parts, 'cheap'));
    expect(scopeHash(otherSystem, 'cheap')).not.toBe(scopeHash(parts, 'cheap'));
    expect(scopeHash(parts, 'best')).not.toBe(scopeHash(parts, 'cheap'));
    expect(scopeHash(semanticParts({ ...base, seed: 1 })!, 'cheap')).not.toBe(scopeHash(parts, 'cheap'));
  });

  it('has no semantic side for images or a conversation that does not end with the user', () => {
    expect(semanticParts({ ...base, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:x' } }] }] })).toBeUndefined();
    expect(semanticParts({ ...base, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] })).toBeUndefined();
  });

  it('puts the tenant first in every key', () => {
    expect(cacheKeys.exactPk('t1', 'abc')).toBe('EXACT#t1#abc');
    expect(cacheKeys.semanticPk('t1', 's', signatureHash('capital france'))).toMatch(/^SEM#t1#s#[0-9a-f]{32}$/);
    expect(cacheKeys.hashOfSemanticSk(cacheKeys.semanticSk(42, 'abc'))).toBe('abc');
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe('{"a":[1,{"d":2}],"b":1}');
  });
});

describe('policy', () => {
  it('caches only explicit temperature 0 without tools by default', () => {
    const policy = resolvePolicy(undefined, undefined);
    expect(policy).toEqual({ enabled: true, ttlSeconds: 86_400, semantic: true, threshold: 0, requireDeterministic: true, verify: 'differential', maxErrorRate: 0.02, minSimilarity: 0.5 });
    expect(isCacheable(base, policy)).toBe(true);
    expect(isCacheable({ ...base, temperature: undefined }, policy)).toBe(false);
    expect(isCacheable({ ...base, temperature: 0.3 }, policy)).toBe(false);
    expect(isCacheable({ ...base, tools: [{ type: 'function', function: { name: 'f' } }] }, policy)).toBe(false);
    expect(isCacheable({ ...base, temperature: 0.3 }, resolvePolicy({ requireDeterministic: false }, undefined))).toBe(true);
  });

  it('lets the route and the tenant switch it off, and the tenant threshold win over the route', () => {
    expect(resolvePolicy({ enabled: false }, undefined).enabled).toBe(false);
    expect(resolvePolicy(undefined, { enabled: false }).enabled).toBe(false);
    expect(resolvePolicy({ semantic: false }, undefined, true).semantic).toBe(false);
    expect(resolvePolicy(undefined, undefined, true).semantic).toBe(true);
    expect(resolvePolicy({ semantic: true }, undefined, false).semantic).toBe(true);
    // The object form turns the semantic side on and says how it is verified; a tenant can still switch it off.
    expect(resolvePolicy({ semantic: { verify: 'differential+judge', maxErrorRate: 0.01 } }, undefined, false)).toMatchObject({ semantic: true, verify: 'differential+judge', maxErrorRate: 0.01, minSimilarity: 0.5 });
    expect(resolvePolicy({ semantic: { verify: 'judge' } }, { semantic: false }).semantic).toBe(false);
    expect(resolvePolicy({ semantic: true }, { semantic: false }).semantic).toBe(false);
    expect(resolvePolicy({ threshold: 0.9, ttlSeconds: 60 }, undefined)).toMatchObject({ threshold: 0.9, ttlSeconds: 60 });
    expect(resolvePolicy({ threshold: 0.9 }, { threshold: 0.95 }).threshold).toBe(0.95);
  });
});
