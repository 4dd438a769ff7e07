// Cache keys. Every key starts with the tenant, so no lookup can reach another tenant's entries.
//   exact entry:     pk EXACT#<tenant>#<sha256(route + normalised request)>        sk ANSWER
//   semantic entry:  pk SEM#<tenant>#<scopeHash>#<signatureHash>                 sk <createdAt ms>#<exactHash>
// scopeHash covers the route and everything but the last user message's text; signatureHash covers
// the meaningful words of that text (differential.ts), so every prompt that may share the answer is
// filed under one key whatever the cache holds.
import { createHash } from 'node:crypto';
import { tenantTableKeys } from '#contracts/tenant-table.ts';
import type { ChatRequest } from '../chat/openai-types.ts';
import { answerParams, canonicalJson, normaliseMessages } from './normalise.ts';
import type { SemanticParts } from './normalise.ts';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Hash of the route and the normalised request (messages and answer-changing parameters). */
export function exactHash(request: ChatRequest, route: string): string {
  return sha256(canonicalJson({ v: 1, route, messages: normaliseMessages(request.messages), params: answerParams(request) }));
}

/** Hash of what a semantic match must share exactly: route, context and parameters. */
export function scopeHash(parts: SemanticParts, route: string): string {
  return sha256(canonicalJson({ v: 2, route, context: parts.context })).slice(0, 32);
}

/** Hash of a content signature (differential.ts `contentSignature`). */
export function signatureHash(signature: string): string {
  return sha256(signature).slice(0, 32);
}

export const cacheKeys = {
  exactPk: (tenantId: string, hash: string) => `EXACT#${tenantId}#${hash}`,
  exactSk: 'ANSWER',
  semanticPk: (tenantId: string, scope: string, signature: string) => `SEM#${tenantId}#${scope}#${signature}`,
  /** Newest first under a descending query; the exact hash makes it unique. */
  semanticSk: (createdAtMs: number, hash: string) => `${String(createdAtMs).padStart(14, '0')}#${hash}`,
  hashOfSemanticSk: (sk: string) => sk.slice(sk.indexOf('#') + 1),
} as const;

/** Per-tenant cache settings item in the tenants table (its key shape lives with the table's others). */
export const tenantCacheKeys = {
  pk: tenantTableKeys.tenantPk,
  sk: tenantTableKeys.cacheSettingsSk,
} as const;
