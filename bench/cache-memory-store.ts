// A CacheStore in memory with DynamoDB's semantics for what the cache uses (GetItem by key; Query on
// one partition, newest first, filter on expiresAt, Limit), so bench/cache.ts can run the real cache
// use case at sizes that do not fit in dynalite on a dev box. Every call counts as one key read.
import { cacheKeys } from '#core/cache/keys.ts';
import type { CacheEntry, CacheStore, SemanticCandidate, SemanticPage, SemanticQuery, StoredAnswer } from '#core/cache/ports.ts';

export class MemoryCacheStore implements CacheStore {
  private readonly exact = new Map<string, StoredAnswer>();
  private readonly partitions = new Map<string, Array<{ sk: string; entry: SemanticCandidate }>>();

  async getAnswer(tenantId: string, hash: string): Promise<StoredAnswer | undefined> {
    return this.exact.get(cacheKeys.exactPk(tenantId, hash));
  }

  async querySemantic(query: SemanticQuery): Promise<SemanticPage> {
    const items = this.partitions.get(cacheKeys.semanticPk(query.tenantId, query.scope, query.signature)) ?? [];
    const before = query.after ? cacheKeys.semanticSk(query.after.createdAtMs, query.after.hash) : undefined;
    const older = before === undefined ? items : items.filter((i) => i.sk < before);
    // DynamoDB applies Limit before the filter: the newest `limit` items are read, then filtered.
    const read = older.slice(-query.limit).reverse();
    const last = read.at(-1);
    return {
      candidates: read.map((i) => i.entry).filter((e) => e.expiresAt > query.liveAfter),
      ...(read.length === query.limit && older.length > query.limit && last ? { next: { createdAtMs: last.entry.createdAtMs, hash: last.entry.hash } } : {}),
    };
  }

  async writeBatch(entries: readonly CacheEntry[]): Promise<CacheEntry[]> {
    for (const entry of entries) {
      if (entry.kind === 'exact') {
        this.exact.set(cacheKeys.exactPk(entry.tenantId, entry.hash), entry);
        continue;
      }
      const pk = cacheKeys.semanticPk(entry.tenantId, entry.scope, entry.signature);
      const sk = cacheKeys.semanticSk(entry.createdAtMs, entry.hash);
      const { kind: _k, tenantId: _t, scope: _s, signature: _g, ...candidate } = entry;
      const list = this.partitions.get(pk) ?? this.partitions.set(pk, []).get(pk)!;
      const at = list.findIndex((i) => i.sk >= sk);
      if (at >= 0 && list[at]!.sk === sk) list[at] = { sk, entry: candidate };
      else list.splice(at < 0 ? list.length : at, 0, { sk, entry: candidate });
    }
    return [];
  }

  /** Largest number of entries under one signature key (what a Query would have to page through). */
  largestPartition(): number {
    return Math.max(0, ...[...this.partitions.values()].map((l) => l.length));
  }
}
