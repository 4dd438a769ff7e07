// The LLM router: API -> router Lambda (streaming) and jobs Lambda (batch and files APIs), batch queue -> worker, scheduled health checks,
// DynamoDB tables, the provider-keys secret, alarms and a dashboard.
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { envNames } from '#contracts/env.ts';
import type { CatalogFile } from '#core/catalog/catalog-schema.ts';
import type { Settings } from './settings.ts';
import { RouterApi } from './constructs/api.ts';
import { BatchProcessing } from './constructs/batch.ts';
import { FilesBucket } from './constructs/files-bucket.ts';
import { grantBedrockInvoke } from './constructs/bedrock-access.ts';
import { HealthCheck } from './constructs/health-check.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { RouterFunction } from './constructs/router-function.ts';
import { ProviderSecret } from './constructs/secrets.ts';
import { RouterTables } from './constructs/tables.ts';

export interface RouterStackProps extends StackProps {
  settings: Settings;
  /** The validated catalog (providers and models drive secrets fields, Bedrock grants and alarms). */
  catalog: CatalogFile;
  /** Absolute path of the catalog file copied into the bundles. */
  catalogFile: string;
}

/** Router Lambda timeout; streamed API Gateway integrations may last up to 15 minutes. */
const routerTimeout = Duration.minutes(10);

export class RouterStack extends Stack {
  readonly tables: RouterTables;
  readonly router: RouterFunction;
  readonly authorizer: RouterFunction;
  /** `/v1/batches` and `/v1/files`. */
  readonly jobsApi: RouterFunction;
  readonly api: RouterApi;
  readonly batch: BatchProcessing;
  readonly files: FilesBucket;
  readonly healthCheck: HealthCheck;
  readonly providerSecret: ProviderSecret;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: RouterStackProps) {
    super(scope, id, props);
    const { settings, catalog, catalogFile } = props;
    const common: Record<string, string> = {
      [envNames.stage]: settings.stage,
      ...(settings.defaultMonthlyBudgetUsd === undefined
        ? {}
        : { [envNames.defaultMonthlyBudgetUsd]: String(settings.defaultMonthlyBudgetUsd) }),
    };

    this.tables = new RouterTables(this, 'Tables');
    this.providerSecret = new ProviderSecret(this, 'ProviderKeys', { stage: settings.stage, catalog });

    this.router = new RouterFunction(this, 'Router', {
      entry: 'functions/handlers/router.ts',
      description: 'OpenAI-compatible chat completions and models (response streaming)',
      timeout: routerTimeout,
      memorySize: 1024,
      catalogFile,
      environment: common,
    });
    this.router
      .useTable(this.tables.cache, 'readWrite')
      .useTable(this.tables.health, 'readWrite')
      .useTable(this.tables.costs, 'readWrite')
      // Budgets and plans are read (tenant items only, never key items); counters live in the usage table.
      .useTable(this.tables.tenants, 'query', 'TENANT#')
      .useTable(this.tables.usage, 'update');

    // The batch and files APIs: a function of their own, so the router (chat traffic) carries neither
    // the S3 and SQS clients in its bundle nor the grants. It reads only the catalog (no provider keys).
    this.jobsApi = new RouterFunction(this, 'JobsApi', {
      entry: 'functions/handlers/jobs-api.ts',
      description: 'OpenAI batch and files APIs (response streaming)',
      timeout: routerTimeout,
      memorySize: 512,
      catalogFile,
      environment: { [envNames.stage]: settings.stage },
    });
    this.jobsApi.useTable(this.tables.jobs, 'readWrite');
    // Batch input and result files (POST /v1/files, the file form of batches): the jobs function alone touches them.
    this.files = new FilesBucket(this, 'Files');
    this.files.grantFiles(this.jobsApi);

    this.authorizer = new RouterFunction(this, 'Authorizer', {
      entry: 'functions/handlers/authorizer.ts',
      description: 'Resolves bearer API keys to tenants for API Gateway',
      timeout: Duration.seconds(10),
      memorySize: 256,
      environment: { [envNames.stage]: settings.stage },
    });
    // One GetItem of the caller's key item: nothing else in any table.
    this.authorizer.useTable(this.tables.tenants, 'getItem', 'KEY#');

    this.api = new RouterApi(this, 'Api', {
      stage: settings.stage,
      router: this.router,
      jobsApi: this.jobsApi,
      authorizer: this.authorizer,
      integrationTimeout: routerTimeout,
      tenantPlans: settings.tenantPlans,
    });

    this.batch = new BatchProcessing(this, 'Batch', { catalogFile, environment: common });
    this.batch.worker
      .useTable(this.tables.jobs, 'readWrite')
      .useTable(this.tables.costs, 'readWrite')
      .useTable(this.tables.cache, 'readWrite')
      .useTable(this.tables.health, 'readWrite')
      .useTable(this.tables.tenants, 'query', 'TENANT#')
      .useTable(this.tables.usage, 'update');
    this.batch.queue.grantSendMessages(this.jobsApi);
    this.jobsApi.addEnvironment(envNames.batchQueueUrl, this.batch.queue.queueUrl);
    // The worker delays a failed item's retry with ChangeMessageVisibility on this queue.
    this.batch.worker.addEnvironment(envNames.batchQueueUrl, this.batch.queue.queueUrl);

    this.healthCheck = new HealthCheck(this, 'HealthCheck', {
      stage: settings.stage,
      catalogFile,
      environment: { [envNames.stage]: settings.stage },
      reserveConcurrency: settings.healthCheckReservedConcurrency,
    });
    this.healthCheck.fn.useTable(this.tables.health, 'readWrite');

    for (const fn of [this.router, this.batch.worker, this.healthCheck.fn]) {
      this.providerSecret.grantRead(fn);
      fn.addEnvironment(envNames.providerSecretArn, this.providerSecret.secret.secretArn);
      fn.addEnvironment(envNames.providerKeysMaxAgeSeconds, String(settings.providerKeysMaxAgeSeconds));
      grantBedrockInvoke(fn, catalog);
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: settings.stage,
      api: this.api.api,
      queue: this.batch.queue,
      deadLetterQueue: this.batch.deadLetterQueue,
      providerIds: catalog.providers.map((p) => p.id),
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });

    this.#outputs();
  }

  #outputs(): void {
    new CfnOutput(this, 'ApiUrl', { value: this.api.v1Url, description: 'OpenAI base URL (…/v1)' });
    new CfnOutput(this, 'RestApiId', { value: this.api.api.restApiId, description: 'for admin create-tenant / set-plan --rest-api-id' });
    new CfnOutput(this, 'BatchQueueUrl', { value: this.batch.queue.queueUrl });
    new CfnOutput(this, 'FilesBucketName', { value: this.files.bucket.bucketName, description: 'batch input and result files' });
    new CfnOutput(this, 'DlqUrl', { value: this.batch.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'ProviderSecretArn', { value: this.providerSecret.secret.secretArn });
    new CfnOutput(this, 'ProviderSecretFields', {
      value: this.providerSecret.fields.join(',') || '(none)',
      description: 'JSON fields expected in the provider secret',
    });
    for (const { definition, table } of this.tables.all) {
      const name = definition.name.charAt(0).toUpperCase() + definition.name.slice(1);
      new CfnOutput(this, `${name}TableName`, { value: table.tableName, description: definition.envVar });
    }
  }
}
