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
 * The token of an `Authorization: Bearer <token>` header value, or undefined when the header is
 * missing or not a bearer credential. The scheme is case-insensitive (RFC 7235).
 */
export function parseBearer(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Constant-time string equality (length is not secret: hashes and keys have fixed lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/**
 * Environment variable of the authorizer holding the default usage-plan API key value, returned as
 * `usageIdentifierKey` for tenants that have no plan of their own. Not a credential: with
 * `apiKeySourceType: AUTHORIZER` clients cannot present it; it only selects a usage plan.
 */
export const defaultUsagePlanKeyEnv = 'DEFAULT_USAGE_PLAN_KEY';
