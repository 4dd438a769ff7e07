// Everything the router handler needs, built once per cold start and reused by every invocation.
import { createKeyedProviderClient } from '#adapters/providers/create-provider-client.ts';
import { loadTracer } from '#adapters/tracing/tracer.ts';
import { documentClient } from './aws-clients.ts';
import { DynamoCostLedger } from '#adapters/dynamodb/cost-ledger.ts';
import { DynamoHealthStore } from '#adapters/dynamodb/health-store.ts';
import { HealthSnapshot } from '#core/health/health-snapshot.ts';
import { defaultBreakerSettings } from '#core/health/circuit-breaker.ts';
import type { Catalog } from '#core/catalog/catalog.ts';
import { ChatService } from '#core/chat/chat-service.ts';
import { JudgeVerifier } from '#core/cache/judge-verifier.ts';
import { EmbeddingService } from '#core/embeddings/embedding-service.ts';
import type { EmbeddingsClient } from '#core/embeddings/ports.ts';
import { createEmbeddingsClient } from '#adapters/embeddings/embeddings-client.ts';
import { systemClock } from '#core/shared/clock.ts';
import type { AttemptFailure } from '#core/failover/attempt-failure.ts';
import type { ProviderClient } from '#core/chat/ports.ts';
import { DynamoPlanStore } from '#adapters/dynamodb/plan-store.ts';
import { DynamoTokenWindowStore } from '#adapters/dynamodb/token-window-store.ts';
import { settlingLedger, TokenLimiter } from '#core/limits/token-limiter.ts';
import { loadCatalogAndKeys } from './catalog-and-keys.ts';
import { coldStart } from './cold-start.ts';
import { readRouterConfig, tracingPossible } from './config.ts';
import type { RouterConfig } from './config.ts';
import { logger } from './logger.ts';
import { budgetGuardFor, embeddingCacheFor, responseCacheFor } from './router-stores.ts';

export interface RouterRuntime {
  config: RouterConfig;
  catalog: Catalog;
  chat: ChatService;
  /** Tokens per minute per tenant; undefined when the tenants and usage tables are not configured. */
  limits: TokenLimiter | undefined;
  embeddings: EmbeddingService;
}

/** The runtime of this instance; a failed start is not cached, so the next invocation tries again. */
export const routerRuntime: () => Promise<RouterRuntime> = coldStart(buildRuntime);

/** The runtime's batched writers once built: breaker outcomes and (with a linger) cost records. */
let built: { health: HealthSnapshot; ledger: DynamoCostLedger } | undefined;

/**
 * Writes what the runtime still holds back: breaker outcomes for the health table (batched per model for
 * up to a few seconds) and cost records in the ledger's batch window; nothing when the runtime never
 * started. For a process that stops (the local runtime's shutdown), so nothing is lost and no write is
 * attempted after the store went away.
 */
export async function flushRouterRuntime(): Promise<void> {
  await Promise.all([built?.health.flush(), built?.ledger.flush()]);
}

/** What the chat and embedding services report, to the shared logger. */
const serviceHooks = {
  // `message` is a reserved key of the logger: the provider's reason goes in as `reason`.
  // A call the caller cut (client gone, deadline) says nothing about the provider: info, not a warning.
  onAttemptFailed: ({ message, ...failure }: AttemptFailure, { cutByCaller }: { cutByCaller: boolean }) => (cutByCaller
    ? logger.info('provider attempt cut by the caller', { ...failure, reason: message })
    : logger.warn('provider attempt failed', { ...failure, reason: message })),
  onBookkeepingError: (what: string, error: unknown) => logger.error(`${what} failed after the answer was sent`, { error: error as Error }),
};

async function buildRuntime(): Promise<RouterRuntime> {
  const config = readRouterConfig();
  const [{ catalog, keys }] = await Promise.all([loadCatalogAndKeys(config.catalogPath, config), loadTracer(tracingPossible())]);
  // Each client reads its key per call from the bounded key cache (see adapters/aws/provider-keys.ts).
  const clients = new Map<string, ProviderClient>();
  for (const provider of catalog.providers.values()) {
    clients.set(provider.id, createKeyedProviderClient(provider, keys));
  }
  const health = new HealthSnapshot({
    store: new DynamoHealthStore({ tableName: config.healthTableName, client: documentClient() }),
    catalog,
    // catalog defaults.circuitBreaker overrides the breaker defaults (e.g. a short cooldown in tests).
    breakerSettings: { ...defaultBreakerSettings, ...catalog.defaults.circuitBreaker },
    // Successes of a healthy model go to the health table together, at most one write per model per
    // refresh interval, instead of a read and a write per request.
    successWriteDelayMs: 5_000,
    log: logger,
  });
  // One read of the health table per cold start; afterwards the snapshot refreshes in the background.
  await health.ready();
  // One ledger for the chat, the judge and the embeddings: their records share transactions.
  const ledger = new DynamoCostLedger(documentClient(), config.costTableName, { lingerMs: config.costBatchMs });
  built = { health, ledger };
  const limits = config.tenantsTableName && config.usageTableName
    ? new TokenLimiter({
      plans: new DynamoPlanStore({ tableName: config.tenantsTableName, client: documentClient() }),
      windows: new DynamoTokenWindowStore({ tableName: config.usageTableName, client: documentClient() }),
      clock: systemClock,
      onSettleError: (error) => logger.warn('token counter correction failed', { error: error as Error }),
    })
    : undefined;
  const budget = budgetGuardFor(config.budget, documentClient());
  // The cache judge: the cheapest healthy catalog model, its cost in the same ledger (cache verification),
  // held against the tenant's budget and tokens per minute like any call, its outcomes fed to the breakers.
  const judge = new JudgeVerifier({
    catalog, provider: (id) => clients.get(id)!, ledger,
    clock: systemClock, context: () => health.current(), budget, tokens: limits, health, onError: serviceHooks.onBookkeepingError,
  });
  const cache = responseCacheFor(config.cache, documentClient(), catalog, keys.snapshot(), judge);
  const chat = new ChatService({
    catalog,
    health,
    provider: (id) => {
      const client = clients.get(id);
      if (!client) throw new Error(`no client for provider ${id}`);
      return client;
    },
    ledger: limits ? settlingLedger(ledger, limits) : ledger,
    budget,
    ...(cache ? { cache } : {}),
    clock: systemClock,
    ...serviceHooks,
  });
  const embedders = new Map<string, EmbeddingsClient>();
  for (const provider of catalog.providers.values()) {
    const client = createEmbeddingsClient(provider, () => keys.get(provider.id));
    if (client) embedders.set(provider.id, client);
  }
  const embeddingCache = embeddingCacheFor(config.cache, documentClient());
  const embeddings = new EmbeddingService({
    catalog,
    health,
    embeddings: (id) => {
      const client = embedders.get(id);
      if (!client) throw new Error(`provider ${id} has no embeddings endpoint`);
      return client;
    },
    ledger,
    budget: budgetGuardFor(config.budget, documentClient()),
    ...(embeddingCache ? { cache: embeddingCache } : {}),
    clock: systemClock,
    ...serviceHooks,
  });
  return { config, catalog, chat, limits, embeddings };
}
