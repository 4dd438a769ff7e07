// Redaction of anything key-shaped in text that may be logged or shown: provider API keys (`sk-...`,
// Google `AIza...`), bearer tokens, `x-api-key` / `api_key=` / `authorization:` values, AWS access
// key ids and secrets, JWTs, and every exact secret value registered at start-up (the provider keys
// this instance holds, whatever their shape). Every logger runs its output through `redact`.

export const REDACTED = '[REDACTED]';

// Each pattern keeps its first group (the label) and replaces the rest.
const LABELLED: readonly RegExp[] = [
  /(\bbearer\s+)[^\s"',;]+/gi,
  /(\bbasic\s+)[A-Za-z0-9+/=]{8,}/gi,
  // `x-api-key: v`, `"api_key":"v"`, `apikey=v`, `authorization = v`, `secret_access_key: v`, `token=v`...
  /((?:x-api-key|x-goog-api-key|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|client[_-]?secret|secret[_-]?access[_-]?key|aws[_-]?secret[_-]?access[_-]?key|session[_-]?token|password|passwd|authorization|secret)\\?["']?\s*[:=]\s*\\?["']?)(?!\[REDACTED\])[^\s"',;&}\\]{4,}/gi,
  // Query-string credentials (Gemini's `?key=`).
  /([?&](?:key|api_key|apikey|access_token|token|sig|signature)=)[^&\s"'#]+/gi,
];

const SHAPED: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI, Anthropic (sk-ant-), DeepSeek, our own sk-lr- keys
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google API keys
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}/g, // JWTs
  /\b(?:xox[abprs]|ghp|gho|ghs|ghu|github_pat|glpat|hf)_[A-Za-z0-9_-]{10,}/g, // common service tokens
];

/** Exact values that must never appear, whatever their shape (longest first, so overlaps redact fully). */
let secrets: string[] = [];

/** Adds exact secret values (for example the provider keys loaded at cold start) to every redaction. */
export function registerSecrets(values: Iterable<string | undefined>): void {
  const next = new Set(secrets);
  for (const value of values) if (value && value.length >= 8) next.add(value);
  secrets = [...next].sort((a, b) => b.length - a.length);
}

/** Forgets registered secrets (tests). */
export function clearRegisteredSecrets(): void {
  secrets = [];
}

/** The text with every key-shaped substring and every registered secret replaced by `[REDACTED]`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const pattern of LABELLED) out = out.replace(pattern, `$1${REDACTED}`);
  for (const pattern of SHAPED) out = out.replace(pattern, REDACTED);
  return out;
}

/** Redacts every string inside a JSON-like value (objects and arrays are copied, cycles cut). */
export function redactDeep(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, seen));
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message), ...(value.stack ? { stack: redact(value.stack) } : {}) };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, seen)]));
}
