// CDK context validation and the synth-time catalog check.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadCatalog } from '../../lib/catalog-loader.ts';
import { parseSettings } from '../../lib/settings.ts';
import { fixtureCatalog, synthStack } from './support.ts';

// A synth takes ~2 s alone but over 25 s when the shared 2-core machine is loaded (seen at load 30).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const settingsFrom = (context: Record<string, unknown>) => () => parseSettings((key) => context[key]);

describe('settings', () => {
  it('defaults the stage and catalog', () => {
    expect(parseSettings(() => undefined)).toEqual({
      stage: 'dev',
      catalogPath: 'catalog/default-catalog.json',
      alarmEmail: undefined,
      defaultMonthlyBudgetUsd: undefined,
      tenantPlans: {},
      providerKeysMaxAgeSeconds: 300,
      healthCheckReservedConcurrency: false,
    });
  });

  it('reads the key cache bound and the health-check reservation from CLI strings', () => {
    const settings = parseSettings(
      (key) => ({ 'llm-router:provider-keys-max-age-seconds': '60', 'llm-router:health-check-reserved-concurrency': 'true' })[key],
    );
    expect(settings.providerKeysMaxAgeSeconds).toBe(60);
    expect(settings.healthCheckReservedConcurrency).toBe(true);
  });

  it('accepts CLI strings for numbers and treats empty strings as unset', () => {
    const settings = parseSettings(
      (key) => ({ 'llm-router:default-monthly-budget-usd': '250.5', 'llm-router:alarm-email': '' })[key],
    );
    expect(settings.defaultMonthlyBudgetUsd).toBe(250.5);
    expect(settings.alarmEmail).toBeUndefined();
  });

  it.each([
    ['llm-router:stage', 'Prod'],
    ['llm-router:stage', 'dev_1'],
    ['llm-router:alarm-email', 'not-an-email'],
    ['llm-router:default-monthly-budget-usd', '-5'],
    ['llm-router:default-monthly-budget-usd', 'lots'],
    ['llm-router:catalog', ''],
    ['llm-router:provider-keys-max-age-seconds', '7200'],
    ['llm-router:provider-keys-max-age-seconds', '1.5'],
    ['llm-router:health-check-reserved-concurrency', 'yes'],
  ])('rejects %s = %j naming the key', (key, value) => {
    expect(settingsFrom({ [key]: value })).toThrow(new RegExp(`context "${key}"`));
  });

  it('names the stack and the API stage after the stage context', () => {
    const { stack, template } = synthStack({ context: { 'llm-router:stage': 'prod-eu' } });
    expect(stack.stackName).toBe('LlmRouter-prod-eu');
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod-eu' });
  });
});

describe('catalog at synth time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
  const write = (name: string, content: string) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  it('loads a valid catalog', async () => {
    const file = write('ok.json', JSON.stringify(fixtureCatalog));
    const loaded = await loadCatalog(file);
    expect(loaded.file).toBe(file);
    expect(loaded.catalog.providers.map((p) => p.id)).toEqual(['openai', 'anthropic', 'bedrock']);
  });

  it('fails with a readable message on a bad catalog', async () => {
    const bad = { ...fixtureCatalog, providers: [{ id: 'x', kind: 'bedrock' }] };
    await expect(loadCatalog(write('bad.json', JSON.stringify(bad)))).rejects.toThrow(/Invalid model catalog[\s\S]*region/);
  });

  it('fails on a missing file or invalid JSON', async () => {
    await expect(loadCatalog(join(dir, 'missing.json'))).rejects.toThrow(/catalog file not found/);
    await expect(loadCatalog(write('broken.json', '{'))).rejects.toThrow(/not valid JSON/);
  });
});
