// The embeddings' exact cache on the response cache's table, through its exact layer
// (DynamoCacheStore: one item per tenant and hash). Vectors are stored as base64 float32 to stay
// well under DynamoDB's 400 KB item limit; answers too large even so are simply not cached.
import type { DynamoDocuments } from '../aws/dynamodb-commands.ts';
import * as z from 'zod/mini';
import '../../contracts/zod-en.ts';
import { base64Vector } from '#core/embeddings/encode.ts';
import type { CachedEmbeddings, EmbeddingCache } from '#core/embeddings/ports.ts';
import { DynamoCacheStore } from './response-cache.ts';

const MAX_ITEM_CHARS = 350_000;
const payloadSchema = z.object({ vectors: z.array(z.string()), promptTokens: z.number() });

function decode(vector: string): number[] {
  const bytes = Buffer.from(vector, 'base64');
  return Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
}

export class DynamoEmbeddingCache implements EmbeddingCache {
  private readonly store: DynamoCacheStore;
  private readonly now: () => number;

  constructor(client: DynamoDocuments, tableName: string, now: () => number = Date.now) {
    this.store = new DynamoCacheStore(client, tableName);
    this.now = now;
  }

  async get(tenantId: string, key: string): Promise<CachedEmbeddings | undefined> {
    const stored = await this.store.getAnswer(tenantId, `emb-${key}`);
    if (!stored || stored.expiresAt * 1000 <= this.now()) return undefined;
    const payload = payloadSchema.safeParse(JSON.parse(stored.completion));
    if (!payload.success) return undefined;
    return {
      vectors: payload.data.vectors.map(decode), promptTokens: payload.data.promptTokens,
      modelId: stored.modelId, providerId: stored.providerId, costUsd: stored.costUsd, requestId: stored.requestId ?? '',
    };
  }

  async put(tenantId: string, key: string, entry: CachedEmbeddings, ttlSeconds: number): Promise<void> {
    const completion = JSON.stringify({ vectors: entry.vectors.map(base64Vector), promptTokens: entry.promptTokens });
    if (completion.length > MAX_ITEM_CHARS) return;
    await this.store.writeBatch([{
      kind: 'exact', tenantId, hash: `emb-${key}`, route: 'embeddings', createdAt: new Date(this.now()).toISOString(),
      completion, modelId: entry.modelId, providerId: entry.providerId, costUsd: entry.costUsd,
      expiresAt: Math.floor(this.now() / 1000) + ttlSeconds, requestId: entry.requestId,
    }]);
  }
}

