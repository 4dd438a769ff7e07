import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { CatalogError } from '#core/shared/errors.ts';
import { catalogDoc, modelEntry, sampleCatalog } from '../support/catalog-fixtures.ts';

const defaultCatalogJson = (): unknown =>
  JSON.parse(readFileSync(new URL('../../catalog/default-catalog.json', import.meta.url), 'utf8'));

function issuesOf(doc: unknown): string[] {
  try {
    parseCatalog(doc);
  } catch (error) {
    if (error instanceof CatalogError) return error.issues;
    throw error;
  }
  throw new Error('expected parseCatalog to throw');
}

describe('parseCatalog: default catalog', () => {
  it('parses, with the four routes and every listed provider', () => {
    const catalog = parseCatalog(defaultCatalogJson());

    expect(Object.keys(catalog.routes).sort()).toEqual(['auto', 'best', 'cheap', 'fast']);
    expect([...catalog.providers.keys()].sort()).toEqual(
      ['anthropic', 'bedrock', 'deepseek', 'doubao', 'gemini', 'openai', 'qwen', 'zhipu'].sort(),
    );
    expect(catalog.models.length).toBeGreaterThanOrEqual(9);
    for (const m of catalog.models) expect(catalog.providers.has(m.provider)).toBe(true);
  });
});

describe('parseCatalog: conversion and defaults', () => {
  it('converts CNY prices to USD with currencyRates', () => {
    const catalog = sampleCatalog();
    const glm = catalog.modelsById.get('glm-5');

    expect(glm?.pricing.currency).toBe('CNY');
    expect(glm?.priceUsd).toEqual({ input: 0.56, output: 2.52, cachedInput: 0.14 });
  });

  it('converts a CNY price at the catalog rate and defaults the cached price to the input price', () => {
    const doc = catalogDoc({
      currencyRates: { CNY: 0.14 },
      models: [modelEntry('cn', { pricing: { currency: 'CNY', inputPerMTok: 0.8, outputPerMTok: 8 } })],
    });

    const model = parseCatalog(doc).modelsById.get('cn');

    expect(model?.priceUsd).toEqual({ input: 0.112, output: 1.12, cachedInput: 0.112 });
  });

  it('keeps USD prices as they are', () => {
    const doc = catalogDoc({
      models: [modelEntry('us', { pricing: { currency: 'USD', inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3 } })],
    });

    expect(parseCatalog(doc).modelsById.get('us')?.priceUsd).toEqual({ input: 3, output: 15, cachedInput: 0.3 });
  });

  // Since issue 21 the synthesised `auto` is the learned router (was: defaults.strategy).
  it("synthesises the 'auto' route as the learned router when absent", () => {
    const doc = catalogDoc({ defaults: { strategy: 'cost-first' }, routes: { best: { strategy: 'quality-first' } } });

    const catalog = parseCatalog(doc);

    expect(catalog.routes['auto']).toEqual({ strategy: 'learned' });
    expect(catalog.routes['best']).toEqual({ strategy: 'quality-first' });
  });

  it("keeps an explicit 'auto' route", () => {
    const doc = catalogDoc({ routes: { auto: { strategy: 'quality-first', minQuality: 0.5 } } });

    expect(parseCatalog(doc).routes['auto']).toEqual({ strategy: 'quality-first', minQuality: 0.5 });
  });
});

describe('parseCatalog: errors', () => {
  it('reports every bad field with its path in one CatalogError', () => {
    const doc = catalogDoc({
      currencyRates: {},
      providers: [
        { id: 'p1', kind: 'openai-compatible', baseUrl: 'https://api.example.com/v1' },
        { id: 'p1', kind: 'bedrock' },
      ],
      models: [
        modelEntry('a', { fallbacks: ['ghost'] }),
        modelEntry('a'),
        modelEntry('c', { provider: 'nope', quality: { overall: 1.5 } }),
        modelEntry('d', { pricing: { currency: 'CNY', inputPerMTok: 1, outputPerMTok: 2 } }),
      ],
      routes: { cheap: { strategy: 'cheapest', allow: ['zzz'] }, d: { strategy: 'balanced' } },
    });

    const issues = issuesOf(doc);

    expect(issues).toEqual(
      expect.arrayContaining([
        'providers[1].region: required for kind "bedrock"',
        'providers[1].id: duplicate provider id "p1" (first at providers[0])',
        'models[1].id: duplicate model id "a" (first at models[0])',
        'models[0].fallbacks[0]: unknown model "ghost"',
        'models[2].provider: unknown provider "nope"',
        'models[3].pricing.currency: no rate in currencyRates for CNY',
        'routes.cheap.allow[0]: unknown model "zzz"',
        'routes.d: a route may not be named like a model id',
      ]),
    );
    expect(issues.some((i) => i.startsWith('models[2].quality.overall: '))).toBe(true);
    expect(issues.some((i) => i.startsWith('routes.cheap.strategy: '))).toBe(true);
    expect(issues).toHaveLength(10);
  });

  it('lists the issues in the error message too', () => {
    const doc = catalogDoc({ models: [modelEntry('a', { provider: 'nope' })] });

    expect(() => parseCatalog(doc)).toThrow(/models\[0\]\.provider: unknown provider "nope"/);
  });

  it('rejects a model that falls back to itself and a deny list naming an unknown model', () => {
    const doc = catalogDoc({
      models: [modelEntry('a', { fallbacks: ['a'] }), modelEntry('b')],
      routes: { r: { strategy: 'balanced', deny: ['b', 'x'] } },
    });

    expect(issuesOf(doc)).toEqual([
      'models[0].fallbacks[0]: a model cannot fall back to itself',
      'routes.r.deny[1]: unknown model "x"',
    ]);
  });

  it('reports a non-object document at the root', () => {
    expect(issuesOf('nope')[0]).toMatch(/^\(root\): /);
  });
});
