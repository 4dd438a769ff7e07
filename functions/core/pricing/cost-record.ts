// Builds cost records: one per provider attempt whatever its ending, and one per cache hit (at zero cost).
import type { ResolvedModel } from '../catalog/catalog.ts';
import type { Usage } from '../chat/openai-types.ts';
import type { Principal } from '../auth/ports.ts';
import type { CachedAnswer } from '../cache/ports.ts';
import type { CallEnding } from '../chat/types.ts';
import type { CostRecord } from './ports.ts';

export interface CallFacts {
  principal: Principal;
  requestId: string;
  strategy: string;
  attempts: number;
  /** The routing decision's reason (learned strategy). */
  decision?: string;
  latencyMs: number;
  stream: boolean;
  /** ISO-8601 time the call finished. */
  timestamp: string;
  /** ISO-8601 time the request began (stable across retries and redeliveries). */
  startedAt?: string;
  ending?: CallEnding;
  attempt?: number;
  maxTokensCap?: number;
}

/** The record of a call a provider answered. */
export function paidCallRecord(facts: CallFacts, model: ResolvedModel, usage: Usage, costUsd: number): CostRecord {
  return {
    ...base(facts),
    modelId: model.id,
    providerId: model.provider,
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    costUsd,
    cacheHit: false,
  };
}

/** The record of a call the response cache answered: zero cost, the original cost as the saving. */
export function cacheHitRecord(facts: CallFacts, answer: CachedAnswer): CostRecord {
  const usage = answer.completion.usage;
  return {
    ...base(facts),
    modelId: answer.modelId,
    providerId: answer.providerId,
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    savedUsd: answer.costUsd,
    cacheHit: true,
    cacheMatch: answer.match,
    ...(answer.sourceRequestId ? { cacheSourceRequestId: answer.sourceRequestId } : {}),
    ...(answer.similarity !== undefined ? { cacheSimilarity: Math.round(answer.similarity * 10_000) / 10_000 } : {}),
    ...(answer.verifiedBy !== undefined ? { cacheVerifiedBy: answer.verifiedBy } : {}),
  };
}

function base(facts: CallFacts): Pick<CostRecord, 'tenantId' | 'keyId' | 'requestId' | 'latencyMs' | 'attempts' | 'stream' | 'strategy' | 'timestamp' | 'startedAt' | 'ending' | 'attempt' | 'maxTokensCap' | 'decision'> {
  return {
    ...(facts.startedAt !== undefined ? { startedAt: facts.startedAt } : {}),
    ...(facts.ending !== undefined ? { ending: facts.ending } : {}),
    ...(facts.attempt !== undefined ? { attempt: facts.attempt } : {}),
    ...(facts.maxTokensCap !== undefined ? { maxTokensCap: facts.maxTokensCap } : {}),
    tenantId: facts.principal.tenantId,
    keyId: facts.principal.keyId,
    requestId: facts.requestId,
    latencyMs: facts.latencyMs,
    attempts: facts.attempts,
    stream: facts.stream,
    strategy: facts.strategy,
    timestamp: facts.timestamp,
    ...(facts.decision !== undefined ? { decision: facts.decision } : {}),
  };
}
