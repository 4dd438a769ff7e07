// The verifier port of the response cache: may the answer cached for one prompt be served for another?
// The differential check (differential.ts) answers from the words alone, for free; a CacheVerifier
// answers for prompts whose words differ (judge-verifier.ts: a catalog model asked yes/no). A verifier
// never throws: a failure or a timeout is a `failed` verdict, which the cache treats as a miss.
import type { DeferWork } from '../chat/types.ts';

/** What a verifier is asked about: the new prompt against one cached prompt, for one tenant's request. */
export interface VerifyInput {
  /** The tenant whose request the verification serves (its cost is billed there). */
  tenantId: string;
  keyId?: string | undefined;
  /** The request being looked up (the verification's cost record points at it). */
  requestId?: string | undefined;
  /** The new request's last user message. */
  prompt: string;
  /** The cached request's last user message. */
  cachedPrompt: string;
  /** Everything the two requests share (system prompt, earlier turns), as text; may be empty. */
  context?: string | undefined;
  /** The request's after-response registry: the verification's bookkeeping goes there when set. */
  defer?: DeferWork | undefined;
  /** The request's abort signal: a call the verifier makes follows it (the client left: cut, billed as abandoned). */
  signal?: AbortSignal | undefined;
}

export type VerifyVerdict =
  | { verdict: 'same' | 'different'; latencyMs: number; costUsd: number; modelId: string }
  | { verdict: 'failed'; latencyMs: number; costUsd: number; reason: string };

export interface CacheVerifier {
  verify(input: VerifyInput): Promise<VerifyVerdict>;
}
