// Health probe of one provider at no token cost: list the models, which proves that the endpoint
// answers and that the key is accepted.
//   openai-compatible  GET {baseUrl}/models            (Authorization: Bearer)
//   anthropic          GET {root}/v1/models            (x-api-key, anthropic-version)
//   bedrock            skipped: the runtime API has no free call (listing models needs the separate
//                      control-plane client and a different IAM permission), so bedrock health
//                      comes from the circuit breakers fed by real calls only.
// The key is never logged; it is also scrubbed from upstream error text before it is returned.
import { ProviderError } from '#core/shared/errors.ts';
import { REDACTED, redact as redactShared } from '#core/shared/redact.ts';
import type { CatalogProvider } from '#core/catalog/catalog-schema.ts';
import type { ProbeResult } from '#core/health/provider-health.ts';
import { ANTHROPIC_VERSION } from './anthropic.ts';
import { failureFromFetchError } from './http-failure.ts';
import { OpenAiCompatibleClient } from './openai-compatible.ts';
import { callJson, joinUrl } from './upstream-fetch.ts';

export const DEFAULT_PROBE_TIMEOUT_MS = 5000;

export interface ProbeOptions {
  /** Bound for the whole probe; 5 s by default. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Probes one provider; never throws, the failure is in the result. */
export async function probeProvider(provider: CatalogProvider, apiKey: string | undefined, options: ProbeOptions = {}): Promise<ProbeResult> {
  if (provider.kind === 'bedrock' || !provider.baseUrl) return { ok: true, skipped: true, latencyMs: 0 };
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    if (provider.kind === 'anthropic') await listAnthropicModels(provider.id, provider.baseUrl, apiKey, provider.headers, timeoutMs, options.signal);
    else await listOpenAiModels(provider.id, provider.baseUrl, apiKey, provider.headers, timeoutMs, options.signal);
    return { ok: true, latencyMs: elapsed() };
  } catch (error) {
    const failure = error instanceof ProviderError ? error : failureFromFetchError({ providerId: provider.id }, error, options.signal);
    // The message is already our own wording (the provider's text is only in `detail`); scrubbed anyway.
    return { ok: false, latencyMs: elapsed(), kind: failure.kind, error: redact(failure.message, apiKey) };
  }
}

async function listOpenAiModels(
  providerId: string, baseUrl: string, apiKey: string | undefined, headers: Record<string, string> | undefined, timeoutMs: number, signal: AbortSignal | undefined,
): Promise<void> {
  const client = new OpenAiCompatibleClient({ providerId, baseUrl, timeoutMs, ...(apiKey ? { apiKey } : {}), ...(headers ? { headers } : {}) });
  await client.listModels(signal);
}

async function listAnthropicModels(
  providerId: string, baseUrl: string, apiKey: string | undefined, headers: Record<string, string> | undefined, timeoutMs: number, signal: AbortSignal | undefined,
): Promise<void> {
  const root = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  const all: Record<string, string> = { accept: 'application/json', 'anthropic-version': ANTHROPIC_VERSION, ...headers };
  if (apiKey) all['x-api-key'] = apiKey;
  const payload = await callJson({ providerId }, { url: joinUrl(root, 'v1/models?limit=1'), method: 'GET', headers: all }, { timeoutMs, ...(signal ? { signal } : {}) });
  if (!payload || typeof payload !== 'object' || !Array.isArray((payload as { data?: unknown }).data)) {
    throw new ProviderError(`${providerId} sent a malformed response: model list has no data array`, { kind: 'malformed_response', providerId });
  }
}

/** Removes the key itself, then anything key-shaped (the shared redaction step), from text meant for records. */
export function redact(text: string, apiKey: string | undefined): string {
  const out = apiKey && apiKey.length >= 4 ? text.split(apiKey).join(REDACTED) : text;
  return redactShared(out).slice(0, 500);
}
