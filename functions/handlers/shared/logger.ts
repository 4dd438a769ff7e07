// The Logger every function uses. Prompts, completions, keys and secrets are never passed to it on
// purpose; as a second line of defence every string of every log line goes through the shared
// redaction step (key-shaped values and the provider keys this instance loaded become [REDACTED]).
import { Logger } from '@aws-lambda-powertools/logger';
import { redact } from '#core/shared/redact.ts';

/** The JSON replacer that redacts every string value (messages, attributes, error messages and stacks). */
export const redactingReplacer = (_key: string, value: unknown): unknown => (typeof value === 'string' ? redact(value) : value);

/** A logger for `serviceName` with the shared redaction step. */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, jsonReplacerFn: redactingReplacer });
}

export const logger = createLogger('llm-router');
