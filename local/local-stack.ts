// The embedded default: DynamoDB and SQS stand-ins, simulated providers for keyless providers, and
// the router handler behind a local HTTP front door. `npm start` and the end-to-end tests both use it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { providerKeysFromEnv, staticProviderKeys } from '#adapters/aws/provider-keys.ts';
import { DynamoHealthStore } from '#adapters/dynamodb/health-store.ts';
import { DynamoKeyStore } from '#adapters/dynamodb/key-store.ts';
import { envNames, localDefaults, parseEnv } from '#contracts/env.ts';
import { allTables, healthTable, tenantTable } from '#contracts/tables.ts';
import { isJobsApiPath } from '#contracts/jobs-paths.ts';
import { DynamoPlanStore } from '#adapters/dynamodb/plan-store.ts';
import { parseBearer } from '#core/auth/api-keys.ts';
import { RequestGate } from '#core/limits/request-gate.ts';
import { parseCatalog } from '#core/catalog/catalog.ts';
import { catalogSchema } from '#core/catalog/catalog-schema.ts';
import { systemClock } from '#core/shared/clock.ts';
import { installAwsLambdaShim } from './awslambda-shim.ts';
import { standInDocumentStore } from './stand-in-documents.ts';
import { overlayCatalog, SIMULATED_KEY_ENV } from './catalog-overlay.ts';
import type { ProviderMode } from './catalog-overlay.ts';
import { startLocalServer } from './http-server.ts';
import type { StreamingLambda } from './http-server.ts';
import { startHealthScheduler } from './health-scheduler.ts';
import { DEFAULT_LOCAL_API_KEY, seedLocalTenant } from './seed-local-tenant.ts';
import { startSimulatedUpstream } from './simulated/simulated-upstream.ts';
import { startStandInsProcess } from './standins-process.ts';
import { startBatchWorkerLoop } from './batch-worker-loop.ts';

export interface LocalStackOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Folder for data kept between runs; undefined keeps everything in memory. */
  dataDir?: string;
  catalogPath?: string;
  apiKey?: string;
  /** Simulated providers: time to first token, pace, and share of failing calls. */
  simulated?: { latencyMs?: number; tokensPerSecond?: number; errorRate?: number };
  env?: NodeJS.ProcessEnv;
  /** Receives one access-log line per request; omitted: no access log. */
  accessLog?: (line: string) => void;
}

export interface LocalStack {
  /** OpenAI base URL, `http://host:port/v1`. */
  baseUrl: string;
  apiKey: string;
  providers: ProviderMode[];
  tableNames: Record<string, string>;
  queueUrl: string;
  dlqUrl: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  /** The stand-ins' process id and memory after a full collection (measured apart from the router's). */
  standInsPid: number;
  standInsMemory(): Promise<NodeJS.MemoryUsage>;
  /** The simulated upstreams' base URLs (benchmarks call them directly for comparison). */
  simulatedUpstreams: { openaiCompatible: string; anthropic: string };
  /**
   * Resolves once every router invocation in flight has finished, including the bookkeeping that
   * runs after its response ended (cost records, budget settlement, cache store).
   */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_CATALOG: string = localDefaults.catalogPath;

/** Starts everything; `close()` stops it in reverse order. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const env = options.env ?? process.env;
  const apiKey = options.apiKey ?? DEFAULT_LOCAL_API_KEY;
  const closers: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    // DynamoDB and SQS stand-ins in a process of their own: they do not compete with the router's event loop.
    const standIns = await startStandInsProcess(options.dataDir ? { dynamoPath: join(options.dataDir, 'dynamodb'), sqsDataDir: join(options.dataDir, 'sqs') } : {});
    closers.push(standIns.close);
    const { dynamo, sqs } = standIns;

    const simulatedOptions = { latencyMs: 150, tokensPerSecond: 200, errorRate: 0, ...options.simulated };
    const openai = await startSimulatedUpstream({ kind: 'openai-compatible', ...simulatedOptions });
    closers.push(openai.close);
    const anthropic = await startSimulatedUpstream({ kind: 'anthropic', ...simulatedOptions });
    closers.push(anthropic.close);

    const file = catalogSchema.parse(JSON.parse(readFileSync(resolve(options.catalogPath ?? DEFAULT_CATALOG), 'utf8')));
    const { catalog, modes } = overlayCatalog(file, env, { openaiCompatible: openai.url, anthropic: anthropic.url });
    // In memory: a private temp folder, so stacks started side by side never share a catalog file.
    const catalogDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'llm-router-'));
    if (!options.dataDir) closers.push(async () => rmSync(catalogDir, { recursive: true, force: true }));
    const localCatalogPath = join(catalogDir, 'catalog.local.json');
    writeFileSync(localCatalogPath, JSON.stringify(catalog, null, 2));

    // The handler reads its configuration from the environment at its first call, as in Lambda.
    Object.assign(process.env, {
      [envNames.awsRegion]: env[envNames.awsRegion] ?? 'us-east-1',
      [envNames.awsAccessKeyId]: env[envNames.awsAccessKeyId] ?? 'local',
      [envNames.awsSecretAccessKey]: env[envNames.awsSecretAccessKey] ?? 'local',
      [envNames.dynamoEndpoint]: dynamo.endpoint,
      [envNames.sqsEndpoint]: sqs.endpoint,
      [envNames.catalogPath]: localCatalogPath,
      [envNames.batchQueueUrl]: sqs.queueUrl,
      [envNames.stage]: 'local',
      [SIMULATED_KEY_ENV]: 'simulated-provider-key',
      [envNames.logLevel]: env[envNames.logLevel] ?? 'WARN',
      // CloudWatch EMF metric lines mean nothing locally; they would only flood the terminal.
      [envNames.metrics]: env[envNames.metrics] ?? 'off',
      // One process serves every call here: cost records of 20 ms share a ledger transaction, which
      // takes most of the stand-in's work off each call (cost-group-commit.ts; bench/README.md).
      [envNames.costBatchMs]: env[envNames.costBatchMs] ?? '20',
      ...Object.fromEntries(allTables.map((t) => [t.envVar, dynamo.tableNames[t.name]!])),
    });
    delete process.env[envNames.providerSecretArn];
    // Batch files: in the data directory when there is one, in memory otherwise; an S3 bucket only when
    // ROUTER_FILES_BUCKET is set (with AWS_ENDPOINT_URL_S3 for an S3-compatible server).
    if (options.dataDir) process.env[envNames.filesDir] = join(options.dataDir, 'files');
    else delete process.env[envNames.filesDir];
    // Keys of the real providers come from `env` (process.env by default), as the handler reads them.
    for (const provider of file.providers) {
      const name = provider.apiKey?.env;
      if (name && env[name]) process.env[name] = env[name];
    }

    const documents = standInDocumentStore(dynamo.endpoint, env[envNames.awsRegion] ?? 'us-east-1');
    const tenantsTable = dynamo.tableNames[tenantTable.name]!;
    await seedLocalTenant(documents, tenantsTable, apiKey);
    const keys = new DynamoKeyStore({ tableName: tenantsTable, client: documents });
    // Each tenant's usage plan (rps, burst, monthly requests), applied before the body as API Gateway does.
    const gate = new RequestGate({ plans: new DynamoPlanStore({ tableName: tenantsTable, client: documents, ttlMs: 5_000 }), clock: systemClock });

    installAwsLambdaShim();
    // Handlers are imported only now: their modules read the environment set above when loaded.
    const { handler } = await import('#handlers/router.ts');
    const { handler: jobsApi } = await import('#handlers/jobs-api.ts');
    const { runHealthCheck } = await import('#core/health/run-health-check.ts');
    const { probeProvider } = await import('#adapters/providers/probe.ts');
    const { logger } = await import('#handlers/shared/logger.ts');
    const { flushRouterRuntime } = await import('#handlers/shared/router-runtime.ts');
    // Closed in reverse: after the server stopped taking requests, before the stand-ins go, what the
    // router holds back is written (else a late write finds no store and warns, and cost records in
    // the ledger's batch window are lost): its batched breaker outcomes and cost records, then, once
    // the invocations still in their bookkeeping have ended (5 s at most), whatever they added.
    let invocationsSettled = async (): Promise<void> => undefined;
    closers.push(async () => {
      await flushRouterRuntime();
      await Promise.race([invocationsSettled(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await flushRouterRuntime();
    });
    const server = await startLocalServer({
      handler: handler as unknown as StreamingLambda,
      // API Gateway sends the batch and files APIs to the jobs function (lib/constructs/api.ts).
      routes: [{ name: 'jobs-api', matches: isJobsApiPath, handler: jobsApi as unknown as StreamingLambda }],
      authorize: async (authorization) => {
        const token = parseBearer(authorization);
        return token ? keys.authenticate(token) : undefined;
      },
      throttle: (principal) => gate.check(principal),
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8787,
      ...(options.accessLog ? { accessLog: options.accessLog } : {}),
    });
    closers.push(server.close);
    invocationsSettled = server.settled;

    // The batch worker drains the local queue as the SQS event source does in AWS (BATCH_LOCAL_WORKERS pollers).
    const { handler: batchWorker } = await import('#handlers/batch-worker.ts');
    const workers = startBatchWorkerLoop({ queueUrl: sqs.queueUrl, handler: batchWorker, concurrency: parseEnv(['localBatchWorkers'], 'npm start', env).localBatchWorkers, batchSize: 10 });
    closers.push(workers.stop);

    // The scheduled health check, on the same one-minute schedule as in AWS. Its CloudWatch EMF
    // metric lines are dropped locally; the health records land in the local health table.
    const resolvedCatalog = parseCatalog(catalog);
    const health = startHealthScheduler({
      invoke: () => runHealthCheck({
        catalog: resolvedCatalog,
        keys: staticProviderKeys(providerKeysFromEnv(resolvedCatalog, process.env)),
        store: new DynamoHealthStore({ tableName: dynamo.tableNames[healthTable.name]!, client: documents }),
        clock: systemClock,
        probe: (provider, apiKey) => probeProvider(provider, apiKey),
        metrics: { providerChecked: () => undefined },
        log: logger,
      }),
      onError: (error) => console.warn(`local health check failed: ${error instanceof Error ? error.message : String(error)}`),
    });
    closers.push(health.stop);

    return {
      baseUrl: `${server.url}/v1`,
      apiKey,
      providers: modes,
      tableNames: dynamo.tableNames,
      queueUrl: sqs.queueUrl,
      dlqUrl: sqs.dlqUrl,
      dynamoEndpoint: dynamo.endpoint,
      sqsEndpoint: sqs.endpoint,
      standInsPid: standIns.pid,
      standInsMemory: standIns.memory,
      simulatedUpstreams: { openaiCompatible: openai.url, anthropic: anthropic.url },
      settled: server.settled,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
