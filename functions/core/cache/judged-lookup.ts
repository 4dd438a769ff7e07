// The judge side of a semantic lookup (route `cache.semantic.verify` "judge" or "differential+judge").
// Entries are also filed, with their embedding, under one "near" key per tenant and scope; a lookup reads
// the newest of them (one key read), takes the nearest by cosine (vCache's k = 1), and lets the entry's
// learned threshold (entry-threshold.ts) decide: serve, miss, or ask the judge. A judge's verdict is a
// sample for the entry (written back to its item); a failed or timed-out judge is a miss.
import type { ChatRequest } from '../chat/openai-types.ts';
import { afterResponse } from '../chat/types.ts';
import { decide, decodeObservations, encodeObservations, withObservation } from './entry-threshold.ts';
import { certainlyDifferent } from './judge-guard.ts';
import type { PromptToken } from './prompt-tokens.ts';
import { signatureHash } from './keys.ts';
import type { CachePolicy } from './policy.ts';
import type { CachedAnswer, CacheScope, CacheStore, SemanticCandidate, StoredAnswer } from './ports.ts';
import type { CacheVerifier } from './verifier.ts';
import { cosine, dequantise } from './vector.ts';
import type { ChatCompletion } from '../chat/openai-types.ts';

/** The signature under which every entry of a scope is also filed for the judge modes. */
export const NEAR_SIGNATURE = signatureHash('\u0000near');
/** Entries of the near key a lookup compares (newest first). */
export const NEAR_CANDIDATES = 32;

export interface JudgeStats {
  /** Judge calls this lookup made (0 or 1). */
  judgeCalls: number;
  judgeLatencyMs: number;
  judgeCostUsd: number;
  /** What the entry's threshold decided for the nearest candidate, when there was one. */
  decision?: 'serve' | 'verify' | 'miss' | 'below-floor' | 'guarded';
  /** The judge's verdict when asked. */
  verdict?: 'same' | 'different' | 'failed';
  nearestSimilarity?: number;
}

export interface JudgedLookupDeps {
  store: CacheStore;
  verifier: CacheVerifier;
  embedderId: string;
  random: () => number;
  onError?: ((what: string, error: unknown) => void) | undefined;
}

export interface JudgedLookupInput {
  scope: CacheScope;
  scopeKey: string;
  text: string;
  query: Float32Array;
  request: ChatRequest;
  liveAfter: number;
  /** "differential+judge": the new prompt's tokens, to refuse certain differences (judge-guard.ts) before any judge. */
  guard?: readonly PromptToken[] | undefined;
}

/** The nearest near-key entry, decided by its learned threshold and, when uncertain, the judge. */
export async function judgedLookup(deps: JudgedLookupDeps, input: JudgedLookupInput, policy: CachePolicy, stats: JudgeStats): Promise<CachedAnswer | undefined> {
  const { candidates } = await deps.store.querySemantic({
    tenantId: input.scope.tenantId, scope: input.scopeKey, signature: NEAR_SIGNATURE, limit: NEAR_CANDIDATES, liveAfter: input.liveAfter,
  });
  let best: SemanticCandidate | undefined;
  let similarity = -Infinity;
  for (const candidate of candidates) {
    if (!candidate.vec || candidate.embedderId !== deps.embedderId) continue;
    const s = cosine(input.query, dequantise(candidate.vec));
    if (s > similarity) { similarity = s; best = candidate; }
  }
  if (!best) return undefined;
  stats.nearestSimilarity = similarity;
  if (similarity < policy.minSimilarity) {
    stats.decision = 'below-floor';
    return undefined;
  }
  if (input.guard && certainlyDifferent(input.guard, best.text)) {
    stats.decision = 'guarded';
    return undefined;
  }
  const samples = deps.store.recordObservations ? decodeObservations(best.observations) : [];
  const decision = decide(similarity, samples, policy.maxErrorRate, deps.random);
  stats.decision = decision;
  if (decision === 'miss') return undefined;
  if (decision === 'serve') return served(best, similarity, 'threshold');
  stats.judgeCalls += 1;
  const verdict = await deps.verifier.verify({
    tenantId: input.scope.tenantId, keyId: input.scope.keyId, requestId: input.scope.requestId,
    prompt: input.text, cachedPrompt: best.text, context: contextText(input.request), defer: input.scope.defer,
    signal: input.scope.signal,
  }).catch((error: unknown) => ({ verdict: 'failed' as const, latencyMs: 0, costUsd: 0, reason: String(error) }));
  stats.judgeLatencyMs += verdict.latencyMs;
  stats.judgeCostUsd += verdict.costUsd;
  stats.verdict = verdict.verdict;
  if (verdict.verdict === 'failed') return undefined;
  if (deps.store.recordObservations) {
    const next = encodeObservations(withObservation(samples, similarity, verdict.verdict === 'same'));
    // The sample is not needed for this answer: written after the response when the request can defer.
    await afterResponse(input.scope.defer, () => deps.store.recordObservations!(
      { tenantId: input.scope.tenantId, scope: input.scopeKey, signature: NEAR_SIGNATURE, createdAtMs: best.createdAtMs, hash: best.hash },
      best.observations, next,
    ).catch((error: unknown) => deps.onError?.('cache entry samples', error)));
  }
  return verdict.verdict === 'same' ? served(best, similarity, 'judge') : undefined;
}

function served(entry: StoredAnswer, similarity: number, verifiedBy: 'judge' | 'threshold'): CachedAnswer {
  const { completion, modelId, providerId, costUsd, requestId } = entry;
  return {
    completion: JSON.parse(completion) as ChatCompletion, modelId, providerId, costUsd, match: 'semantic', similarity, verifiedBy,
    ...(requestId ? { sourceRequestId: requestId } : {}),
  };
}

/** What both requests share before the last message (the scope key already made them equal), as text. */
function contextText(request: ChatRequest): string {
  return request.messages.slice(0, -1)
    .map((m) => `${m.role}: ${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`)
    .join('\n');
}
