// The local runtime with a catalog whose every model has its own provider backed by a scripted
// upstream, for fault-injection tests driven through the real router over HTTP.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { expect } from 'vitest';
import { startLocalStack } from '#local/local-stack.ts';
import type { LocalStack } from '#local/local-stack.ts';
import { startScriptedUpstream } from './scripted-upstream.ts';
import type { ScriptedSseEvent, ScriptedUpstream } from './scripted-upstream.ts';

export interface FaultModel {
  id: string;
  contextWindow?: number;
  fallbacks?: string[];
  group?: string;
  weight?: number;
  /** Extra provider fields: timeoutMs, firstTokenTimeoutMs, streamIdleTimeoutMs. */
  provider?: Record<string, unknown>;
  /** USD per 1M tokens; 1 in, 2 out by default. */
  price?: { input: number; output: number };
  quality?: number;
  maxOutputTokens?: number;
  /** The catalog's `prefill` form: the model can continue a broken stream. */
  prefill?: 'assistant' | 'prefix' | 'partial';
}

export interface FaultStack {
  stack: LocalStack;
  client: OpenAI;
  /** Scripted upstream per model id. */
  upstreams: Record<string, ScriptedUpstream>;
  close(): Promise<void>;
}

const KEY_ENV = 'FAULT_PROVIDER_KEY';

/** For afterEach: every scripted response was used; then the scripts are cleared for the next test. */
export function expectScriptsUsed(f: Pick<FaultStack, 'upstreams'>): void {
  const pending = Object.fromEntries(Object.entries(f.upstreams).map(([id, u]) => [id, u.pending]));
  // Cleared before the check, so one test's leftovers never answer the next test's calls.
  for (const u of Object.values(f.upstreams)) u.clear();
  expect(pending).toEqual(Object.fromEntries(Object.keys(pending).map((id) => [id, 0])));
}

export async function startFaultStack(models: FaultModel[], defaults: Record<string, unknown> = {}, routes: Record<string, unknown> = {}): Promise<FaultStack> {
  const dir = mkdtempSync(join(tmpdir(), 'router-faults-'));
  const upstreams: Record<string, ScriptedUpstream> = {};
  for (const m of models) upstreams[m.id] = await startScriptedUpstream({ answerProbes: true });
  const catalog = {
    version: 1,
    defaults,
    routes,
    providers: models.map((m) => ({ id: `p-${m.id}`, kind: 'openai-compatible', baseUrl: `${upstreams[m.id]!.url}/v1`, apiKey: { env: KEY_ENV }, ...m.provider })),
    models: models.map((m) => ({
      id: m.id,
      provider: `p-${m.id}`,
      upstreamId: `${m.id}-upstream`,
      pricing: { currency: 'USD', inputPerMTok: m.price?.input ?? 1, outputPerMTok: m.price?.output ?? 2 },
      contextWindow: m.contextWindow ?? 8000,
      maxOutputTokens: m.maxOutputTokens ?? 4096,
      quality: { overall: m.quality ?? 0.8 },
      capabilities: ['tools', 'json', 'streaming'],
      fallbacks: m.fallbacks ?? [],
      ...(m.group ? { group: m.group } : {}),
      ...(m.weight ? { weight: m.weight } : {}),
      ...(m.prefill ? { prefill: m.prefill } : {}),
    })),
  };
  const catalogPath = join(dir, 'catalog.json');
  writeFileSync(catalogPath, JSON.stringify(catalog));
  // Own data dir: the generated local catalog must not be shared with test files running in parallel.
  const stack = await startLocalStack({ port: 0, env: { [KEY_ENV]: 'x' }, catalogPath, dataDir: join(dir, 'data') });
  const client = new OpenAI({ baseURL: stack.baseUrl, apiKey: stack.apiKey, maxRetries: 0, timeout: 30_000 });
  return {
    stack,
    client,
    upstreams,
    close: async () => {
      await stack.close();
      await Promise.all(Object.values(upstreams).map((u) => u.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const upstreamUsage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

/** A JSON chat completion as an upstream sends it. */
export function completionBody(text: string): Record<string, unknown> {
  return {
    id: 'chatcmpl-up', object: 'chat.completion', created: 1, model: 'whatever-upstream-says',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: upstreamUsage,
  };
}

export function chunk(delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> {
  return { id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1, model: 'whatever-upstream-says', choices: [{ index: 0, delta, finish_reason: finish }] };
}

/** A complete SSE answer: role, the words, finish, usage, [DONE]. */
export function sseAnswer(words: string[], options: { finish?: boolean; usage?: boolean; done?: boolean } = {}): ScriptedSseEvent[] {
  const events: ScriptedSseEvent[] = [{ data: chunk({ role: 'assistant', content: '' }) }, ...words.map((w) => ({ data: chunk({ content: w }) }))];
  if (options.finish !== false) events.push({ data: chunk({}, 'stop') });
  if (options.usage !== false) events.push({ data: { ...chunk({}), choices: [], usage: upstreamUsage } });
  if (options.done !== false) events.push({ data: '[DONE]' });
  return events;
}

/** POSTs a chat request with fetch and returns the status, headers and raw body. */
export async function rawChat(stack: LocalStack, body: Record<string, unknown>): Promise<{ status: number; headers: Headers; text: string; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${stack.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, ms: Date.now() - started };
}

/** The `data:` payloads of an SSE body, in order. */
export function sseData(text: string): string[] {
  return text.split('\n\n').filter((f) => f.startsWith('data: ')).map((f) => f.slice('data: '.length));
}
