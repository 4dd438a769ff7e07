// Every environment variable the functions and the local runtime read, declared once: name, type
// (a zod schema over the raw string, with its default), and what it means. The stack sets them by
// these names, and the handlers' config modules parse them once at cold start with `parseEnv`.
// Table and files variables keep their name beside their definition (tables.ts, files.ts) and are
// declared here by reference. test/unit/env-declarations.test.ts fails when code under functions/ or
// local/ uses a name that is not declared here, or when docs/operations.md's tables drift from it.
// To add a variable: one entry in `envVars` (and a row in docs/operations.md), then read it through
// the config module of the function that needs it.
// zod/mini (functional API, ~18 KiB bundled instead of ~90 KiB): every function imports this module at
// cold start, and the authorizer and health check need zod for nothing else. The English messages are
// loaded explicitly (zod/mini ships none by default), so errors read as they would with classic zod.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { DEFAULT_MAX_FILE_BYTES, filesEnv } from './files.ts';
import { cacheTable, costTable, healthTable, jobTable, tenantTable, usageTable } from './tables.ts';

/** Who reads a variable: the Lambda functions, `npm start` only, or the platform (Lambda, the AWS SDK). */
export type EnvScope = 'function' | 'local' | 'platform';

z.config(en());

export interface EnvVar<S extends z.ZodMiniType = z.ZodMiniType> {
  readonly name: string;
  /** Parses the raw value (undefined when unset) into its typed value; carries the default. */
  readonly schema: S;
  /** The default as documented (the schema applies it); omitted: none, or required. */
  readonly default?: string;
  readonly doc: string;
  readonly scope: EnvScope;
}

function declare<S extends z.ZodMiniType>(name: string, scope: EnvScope, schema: S, doc: string, defaultValue?: string): EnvVar<S> {
  return { name, scope, schema, doc, ...(defaultValue !== undefined ? { default: defaultValue } : {}) };
}

/** Unset or empty: undefined (an empty value switches the feature off rather than failing the start). */
const optional = z.pipe(z.optional(z.string()), z.transform((v) => (v ? v : undefined)));
const seconds = (fallback: number) => z._default(z.coerce.number().check(z.minimum(0)), fallback);
/** The transform context's issue list (zod/mini has no ctx.addIssue). */
interface Issues { issues: { push(issue: { code: 'custom'; message: string; input: unknown }): unknown } }
/** zod/mini's transform context has no `ctx.addIssue`: the issue goes on its list (code 'custom' is zod's, not an API error code). */
const addIssue = (ctx: Issues, message: string, input: unknown): void => {
  ctx.issues.push({ code: 'custom', message, input });
};
const onOffValue = (name: string) => (v: string, ctx: Issues): boolean => {
  const value = v.trim().toLowerCase();
  if (value === 'on' || value === 'off') return value === 'on';
  addIssue(ctx, `${name} must be on or off, not "${value}"`, v);
  return z.NEVER;
};
/** `on` / `off`, or undefined when unset: the feature's own default applies. */
const onOffOrDefault = (name: string) => z.pipe(z.optional(z.string()), z.transform((v: string | undefined, ctx) => (v === undefined ? undefined : onOffValue(name)(v, ctx))));
/** Unset: `fallback`. */
const withDefault = <S extends z.ZodMiniType>(schema: S, fallback: z.output<S>) => z._default(schema, fallback as never);
/** A string, or undefined when unset. */
const text = z.optional(z.string());
/** `on` unless the value is exactly `off`. */
const notOff = z.pipe(text, z.transform((v) => v !== 'off'));
const zeroOne = z.enum(['0', '1', 'true', 'false']);
const positiveInt = z.coerce.number().check(z.int(), z.positive());
const table = (definition: { envVar: string; name: string }, what: string) =>
  declare(definition.envVar, 'function', optional, `physical name of the ${definition.name} table (${what})`);

/** The `local` tenant's key when `ROUTER_API_KEY` is unset: for the embedded runtime only. */
const LOCAL_API_KEY = 'sk-lr-local-dev-key-for-the-embedded-runtime-only';

/** Default of `BATCH_RECOUNT_QUIET_SECONDS` and `BATCH_STALE_CLAIM_SECONDS`: the worker timeout. */
const WORKER_TIMEOUT_SECONDS = 120;

export const envVars = {
  // The functions (set by lib/router-stack.ts and by the local runtime).
  catalogPath: declare('ROUTER_CATALOG', 'function', optional, 'the catalog file (in AWS, the copy bundled with each function)'),
  providerSecretArn: declare('PROVIDER_SECRET_ARN', 'function', optional, 'Secrets Manager secret holding the provider keys; unset: keys come from the variables the catalog names'),
  providerKeysMaxAgeSeconds: declare('PROVIDER_KEYS_MAX_AGE_SECONDS', 'function', seconds(300), 'how long provider keys read from the secret are used before they are read again', '300'),
  batchQueueUrl: declare('BATCH_QUEUE_URL', 'function', optional, 'URL of the batch queue (required by the batch API and the worker)'),
  stage: declare('STAGE', 'function', z.optional(z.string().check(z.regex(/^[a-z0-9-]+$/, 'a stage name such as dev'))), 'stage name, part of each tenant\'s usage-plan key (authorizer)'),
  costBatchMs: declare('ROUTER_COST_BATCH_MS', 'function', withDefault(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(1_000)), 0), 'how long a cost record waits for others to share its ledger transaction, in ms; 0 on Lambda (one invocation at a time, and the wait would be billed); `npm start` sets 20', '0'),
  maxBodyBytes: declare('ROUTER_MAX_BODY_BYTES', 'function', withDefault(positiveInt, 4 * 1024 * 1024), 'largest request body accepted, in bytes', '4194304'),
  cacheTable: table(cacheTable, 'unset: no response or embedding cache'),
  healthTable: table(healthTable, 'required by the router and the health check'),
  costTable: table(costTable, 'required by the router; also holds budget holds'),
  jobTable: table(jobTable, 'required by the batch API and the worker'),
  tenantTable: table(tenantTable, 'unset: no budgets, tenant cache settings or token limits'),
  usageTable: table(usageTable, 'spend and token counters; unset: no token limits'),
  cache: declare('ROUTER_CACHE', 'function', notOff, '`off` switches the response and embedding caches off', 'on'),
  semanticCache: declare('ROUTER_SEMANTIC_CACHE', 'function', onOffOrDefault('ROUTER_SEMANTIC_CACHE'), '`off`: no semantic cache hits on routes that do not switch them on; `on`: on every route that does not switch them off; unset: on (verified semantic hits, docs/caching.md)'),
  embeddings: declare('ROUTER_EMBEDDINGS', 'function', withDefault(z.string(), 'local'), 'the cache\'s embedder: `local`, `off`, `bedrock:<modelId>` or `openai:<providerId>:<model>`', 'local'),
  defaultMonthlyBudgetUsd: declare('ROUTER_DEFAULT_MONTHLY_BUDGET_USD', 'function', z.pipe(text, z.transform((v, ctx) => {
    const raw = v?.trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (Number.isFinite(value) && value >= 0) return value;
    addIssue(ctx, `ROUTER_DEFAULT_MONTHLY_BUDGET_USD must be a non-negative number of USD, got '${raw}'`, v);
    return z.NEVER;
  })), 'monthly budget (USD) of tenants without one of their own; unset: none'),
  batchRetryBaseSeconds: declare('BATCH_RETRY_BASE_SECONDS', 'function', seconds(5), 'first retry delay of a failed batch item', '5'),
  batchRetryMaxSeconds: declare('BATCH_RETRY_MAX_SECONDS', 'function', seconds(900), 'longest retry delay of a batch item', '900'),
  batchRecountQuietSeconds: declare('BATCH_RECOUNT_QUIET_SECONDS', 'function', seconds(WORKER_TIMEOUT_SECONDS), 'a read recounts a pending job\'s counters after this long without a change', String(WORKER_TIMEOUT_SECONDS)),
  batchStaleClaimSeconds: declare('BATCH_STALE_CLAIM_SECONDS', 'function', seconds(WORKER_TIMEOUT_SECONDS), 'a claim this old with no word since has no live worker', String(WORKER_TIMEOUT_SECONDS)),
  filesBucket: declare(filesEnv.bucket, 'function', optional, 'S3 bucket of uploaded batch input files and batch result files (set by the stack); unset: `ROUTER_FILES_DIR`, else memory'),
  filesDir: declare(filesEnv.directory, 'function', optional, 'local runtime: folder of the files (`npm start` sets it inside the data directory); unset with no bucket: in memory'),
  filesMaxBytes: declare(filesEnv.maxBytes, 'function', withDefault(positiveInt, DEFAULT_MAX_FILE_BYTES), 'largest upload to `POST /v1/files`, in bytes (4 MiB)', String(DEFAULT_MAX_FILE_BYTES)),
  metrics: declare('ROUTER_METRICS', 'function', notOff, '`off` silences the CloudWatch EMF metric lines (the local runtime\'s default)', 'on'),
  // Set by Lambda or read by the AWS SDK; the code reads a few of them.
  awsRegion: declare('AWS_REGION', 'platform', optional, 'the AWS region (Lambda sets it); the Bedrock embedder\'s fallback region'),
  awsAccessKeyId: declare('AWS_ACCESS_KEY_ID', 'platform', optional, 'AWS credentials; locally, with `AWS_PROFILE`, they make Bedrock real'),
  awsSecretAccessKey: declare('AWS_SECRET_ACCESS_KEY', 'platform', optional, 'AWS credentials'),
  awsSessionToken: declare('AWS_SESSION_TOKEN', 'platform', optional, 'AWS session token (Lambda sets it with the role\'s temporary credentials)'),
  awsProfile: declare('AWS_PROFILE', 'platform', optional, 'AWS credentials profile'),
  awsEndpoint: declare('AWS_ENDPOINT_URL', 'platform', optional, 'endpoint of every AWS service without an endpoint variable of its own'),
  dynamoEndpoint: declare('AWS_ENDPOINT_URL_DYNAMODB', 'platform', optional, 'DynamoDB endpoint (the local runtime points it at its stand-in)'),
  s3Endpoint: declare('AWS_ENDPOINT_URL_S3', 'platform', optional, 'S3 endpoint; when set, the files store addresses it path-style (an S3-compatible server)'),
  sqsEndpoint: declare('AWS_ENDPOINT_URL_SQS', 'platform', optional, 'SQS endpoint (the local runtime points it at its stand-in)'),
  secretsEndpoint: declare('AWS_ENDPOINT_URL_SECRETS_MANAGER', 'platform', optional, 'Secrets Manager endpoint (tests point it at a stand-in)'),
  serviceName: declare('POWERTOOLS_SERVICE_NAME', 'platform', optional, 'service name in every log line and trace (the stack sets `llm-router`)'),
  nodeOptions: declare('NODE_OPTIONS', 'platform', optional, 'Node flags (the stack sets `--enable-source-maps`)'),
  executionEnv: declare('AWS_EXECUTION_ENV', 'platform', optional, 'set by Lambda (`AWS_Lambda_nodejs24.x`); unset: not in Lambda, so no X-Ray tracing and the tracer is not loaded'),
  traceEnabled: declare('POWERTOOLS_TRACE_ENABLED', 'platform', optional, '`false` switches X-Ray tracing off (the tracer is then not loaded)'),
  logLevel: declare('POWERTOOLS_LOG_LEVEL', 'platform', optional, 'log level of the functions\' logger (`npm start`: `WARN` by default)'),
  // `npm start` only.
  port: declare('PORT', 'local', withDefault(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(65535)), 8787), 'where the router listens (port)', '8787'),
  host: declare('HOST', 'local', withDefault(z.string(), '127.0.0.1'), 'where the router listens (address)', '127.0.0.1'),
  localApiKey: declare('ROUTER_API_KEY', 'local', withDefault(z.string(), LOCAL_API_KEY), 'the key of the `local` tenant', LOCAL_API_KEY),
  dataDir: declare('ROUTER_DATA_DIR', 'local', withDefault(z.string(), '.local-data'), 'DynamoDB and SQS data kept between runs', '.local-data'),
  ephemeral: declare('ROUTER_EPHEMERAL', 'local', withDefault(zeroOne, '0'), '`1` keeps everything in memory', '0'),
  simulatedLatencyMs: declare('SIMULATED_LATENCY_MS', 'local', withDefault(z.coerce.number().check(z.minimum(0)), 150), 'simulated time to first token', '150'),
  simulatedTokensPerSecond: declare('SIMULATED_TOKENS_PER_SECOND', 'local', withDefault(z.coerce.number().check(z.positive()), 200), 'simulated streaming pace', '200'),
  simulatedErrorRate: declare('SIMULATED_ERROR_RATE', 'local', withDefault(z.coerce.number().check(z.minimum(0), z.maximum(1)), 0), 'share of simulated calls that fail with a 503', '0'),
  accessLog: declare('ROUTER_ACCESS_LOG', 'local', withDefault(zeroOne, '1'), '`0` turns the access log off', '1'),
  localBatchWorkers: declare('BATCH_LOCAL_WORKERS', 'local', z.catch(positiveInt, 2), 'pollers that drain the local batch queue', '2'),
  simulatedProviderKey: declare('ROUTER_SIMULATED_PROVIDER_KEY', 'local', optional, 'set by `npm start`: the key of the simulated providers (not a setting)'),
  standIns: declare('LLM_ROUTER_STANDINS', 'local', optional, 'set by `npm start` for its stand-ins process: their options as JSON (not a setting)'),
} as const satisfies Record<string, EnvVar>;

export type EnvKey = keyof typeof envVars;

/** What `npm start` reads (local/main.ts), in the order docs/operations.md lists them. */
export const localSettingKeys = [
  'port', 'host', 'localApiKey', 'catalogPath', 'dataDir', 'ephemeral', 'simulatedLatencyMs', 'simulatedTokensPerSecond', 'simulatedErrorRate', 'accessLog',
] as const satisfies readonly EnvKey[];

/** What docs/operations.md lists for `npm start`: its settings, then function variables worth setting locally. */
export const localTableKeys = [...localSettingKeys, 'filesMaxBytes'] as const satisfies readonly EnvKey[];

/** Defaults `npm start` applies where the functions require a value. */
export const localDefaults = { catalogPath: 'catalog/default-catalog.json' } as const satisfies Partial<Record<EnvKey, string>>;
export type EnvValues<K extends EnvKey> = { [P in K]: z.output<(typeof envVars)[P]['schema']> };

/** The names by key, for code that sets variables (the stack, the local runtime) or names them in messages. */
export const envNames = Object.fromEntries(Object.entries(envVars).map(([key, v]) => [key, v.name])) as { readonly [K in EnvKey]: string };

/**
 * Parses the variables `keys` from `env` once; `required` of them must be set. Throws one error
 * naming every missing or invalid variable, headed by `what` (the function), so a bad deployment
 * fails at cold start and says why.
 */
export function parseEnv<const K extends EnvKey, const R extends K = never>(
  keys: readonly K[], what: string, env: Readonly<Record<string, string | undefined>>, required: readonly R[] = [],
): Omit<EnvValues<K>, R> & { [P in R]: NonNullable<EnvValues<K>[P]> } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of keys) {
    const { name, schema } = envVars[key];
    const parsed = schema.safeParse(env[name]);
    if (!parsed.success) problems.push(...parsed.error.issues.map((i) => (i.message.startsWith(name) ? i.message : `${name}: ${i.message}`)));
    else if (parsed.data === undefined && (required as readonly string[]).includes(key)) problems.push(`${name}: required, not set`);
    else values[key] = parsed.data;
  }
  if (problems.length > 0) throw new Error(`${what} configuration is invalid:\n  - ${problems.join('\n  - ')}`);
  return values as Omit<EnvValues<K>, R> & { [P in R]: NonNullable<EnvValues<K>[P]> };
}

/** Queue definitions shared by the stack and the local runtime. */
export const batchQueue = {
  name: 'batch',
  envVar: envVars.batchQueueUrl.name,
  dlqName: 'batch-dlq',
  maxReceiveCount: 5,
  /** Worker timeout; the queue's visibility timeout is six times this. */
  workerTimeoutSeconds: WORKER_TIMEOUT_SECONDS,
} as const;
