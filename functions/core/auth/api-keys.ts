// API keys: format, hashing and comparison. Keys are stored only as SHA-256 hashes; the raw key never leaves the request.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const apiKeyPrefix = 'sk-lr-';

/** `sk-lr-` followed by 43 base64url characters (32 random bytes). */
export const apiKeyPattern = /^sk-lr-[A-Za-z0-9_-]{43}$/;

/** A new random API key: `sk-lr-<43 base64url chars>`. */
export function generateApiKey(): string {
  return apiKeyPrefix + randomBytes(32).toString('base64url');
}

/** True when `key` has the shape of a router API key (says nothing about whether it exists). */
export function isApiKeyFormat(key: string): boolean {
  return apiKeyPattern.test(key);
}

/** SHA-256 of the key, lowercase hex; the only form in which a key is stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Public, loggable identifier of a key: `key_` + the first 12 hex chars of its hash. */
export function keyIdFromHash(hash: string): string {
  return `key_${hash.slice(0, 12)}`;
}

/**
 * The one accepted shape of the `Authorization` header: `Bearer ` (or `bearer `), one space, a key of
 * our format, nothing else. API Gateway's authorizer `validationRegex` is this pattern's source, and
 * the Lambda authorizer and the local runtime parse with it, so all three accept exactly the same
 * headers (no `BEARER`, tabs or padding that one accepts and another refuses).
 */
export const bearerPattern = new RegExp(`^[Bb]earer (${apiKeyPattern.source.replace(/^\^|\$$/g, '')})$`);

/** The key of an `Authorization: Bearer <key>` header value, or undefined when it is not exactly that. */
export function parseBearer(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  return bearerPattern.exec(header)?.[1];
}

/** Constant-time string equality (length is not secret: hashes and keys have fixed lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
