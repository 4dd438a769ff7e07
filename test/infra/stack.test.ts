// Resources of the router stack: tables, functions, API, batch, schedule, monitoring, outputs.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { allTables, cacheTable, costTable, jobTable, tenantTable } from '#contracts/tables.ts';
import { batchQueue } from '#contracts/env.ts';
import { metricNames, metricNamespace } from '#contracts/metrics.ts';
import { usagePlanKeyValue, usagePlanName } from '#contracts/usage-plans.ts';
import { PLAN_PRESETS } from '#core/limits/plans.ts';
import { logicalId, synthStack, type Synthesized } from './support.ts';

// A synth takes ~2 s alone but over 25 s when the shared 2-core machine is loaded (seen at load 30).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

let synth: Synthesized;
let template: Template;
beforeAll(() => {
  synth = synthStack();
  template = synth.template;
});

const tableId = (name: string) => logicalId(template, 'AWS::DynamoDB::Table', `Tables${name[0]!.toUpperCase()}${name.slice(1)}Table`);

describe('tables', () => {
  it('creates one table per contract definition', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', allTables.length);
  });

  it.each(allTables.map((t) => [t.name, t] as const))('%s: keys, on-demand, PITR, AWS-managed encryption', (_, def) => {
    const props = template.toJSON().Resources[tableId(def.name)].Properties;
    expect(props.KeySchema).toEqual([
      { AttributeName: def.partitionKey, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' }] : []),
    ]);
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    // SSEEnabled without a key id = KMS with the AWS-managed key (aws/dynamodb).
    expect(props.SSESpecification).toEqual({ SSEEnabled: true });
  });

  it.each([cacheTable, jobTable])('$name expires items by TTL on $ttlAttribute', (def) => {
    const props = template.toJSON().Resources[tableId(def.name)].Properties;
    expect(props.TimeToLiveSpecification).toEqual({ AttributeName: def.ttlAttribute, Enabled: true });
  });

  it.each([costTable, tenantTable])('$name is deletion-protected and retained', (def) => {
    const resource = template.toJSON().Resources[tableId(def.name)];
    expect(resource.Properties.DeletionProtectionEnabled).toBe(true);
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });

  it('destroys the tables that hold nothing irreplaceable', () => {
    for (const def of allTables.filter((t) => !t.retain)) {
      const resource = template.toJSON().Resources[tableId(def.name)];
      expect(resource.DeletionPolicy).toBe('Delete');
      expect(resource.Properties.DeletionProtectionEnabled).toBeFalsy();
    }
  });

  it('adds the cost table GSI from the contract', () => {
    const props = template.toJSON().Resources[tableId(costTable.name)].Properties;
    expect(props.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byDay',
        KeySchema: [
          { AttributeName: 'day', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });
});

describe('functions', () => {
  it('runs every function on nodejs24.x / arm64 with source maps and a retained-for-a-while log group', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('gives every log group the stack causes a retention: functions (custom resources included) and API Gateway', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    // A function without its own group would log to /aws/lambda/<name>, created by Lambda without retention.
    for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
      const ref = fn.Properties.LoggingConfig?.LogGroup?.Ref as string | undefined;
      expect(ref, `${id} logs to a group of this stack`).toBeDefined();
      expect(groups[ref!]?.Properties.RetentionInDays, id).toBeGreaterThan(0);
    }
    // Execution logs: API Gateway's own group name, created before the stage can write to it.
    const apiId = logicalId(template, 'AWS::ApiGateway::RestApi', 'Api');
    const stageId = logicalId(template, 'AWS::ApiGateway::Stage', 'ApiDeploymentStage');
    const execution = Object.entries(groups).find(([, g]) => JSON.stringify(g.Properties.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'));
    expect(execution?.[1].Properties.LogGroupName).toEqual({ 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiId }, '/dev']] });
    expect(execution?.[1].Properties.RetentionInDays).toBeGreaterThan(0);
    expect(template.toJSON().Resources[stageId].DependsOn).toContain(execution![0]);
    // The access log group is the stage's destination, also with retention.
    const accessArn = template.toJSON().Resources[stageId].Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0] as string;
    expect(groups[accessArn]?.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('tells every function that reads the provider secret how long to keep the keys', () => {
    for (const prefix of ['Router', 'BatchWorker', 'HealthCheckFunction']) {
      const fn = template.toJSON().Resources[logicalId(template, 'AWS::Lambda::Function', prefix)];
      expect(fn.Properties.Environment.Variables.PROVIDER_KEYS_MAX_AGE_SECONDS, prefix).toBe('300');
    }
    const short = synthStack({ context: { 'llm-router:provider-keys-max-age-seconds': '60' } }).template;
    const router = short.toJSON().Resources[logicalId(short, 'AWS::Lambda::Function', 'Router')];
    expect(router.Properties.Environment.Variables.PROVIDER_KEYS_MAX_AGE_SECONDS).toBe('60');
  });

  it('gives the router every table but jobs, the catalog, the secret and the stage (no queue, no files)', () => {
    const router = template.toJSON().Resources[logicalId(template, 'AWS::Lambda::Function', 'Router')];
    const env = router.Properties.Environment.Variables;
    for (const def of allTables.filter((t) => t.name !== 'jobs')) expect(env[def.envVar]).toEqual({ Ref: tableId(def.name) });
    expect(env[allTables.find((t) => t.name === 'jobs')!.envVar]).toBeUndefined();
    expect(env.ROUTER_CATALOG).toBe('/var/task/catalog.json');
    expect(env.PROVIDER_SECRET_ARN).toEqual({ Ref: logicalId(template, 'AWS::SecretsManager::Secret', 'ProviderKeys') });
    expect(env.BATCH_QUEUE_URL).toBeUndefined();
    expect(env.ROUTER_FILES_BUCKET).toBeUndefined();
    expect(env.STAGE).toBe('dev');
    expect(router.Properties.Timeout).toBeGreaterThanOrEqual(60);
  });

  it('gives the jobs function the jobs table, the catalog, the queue and the files bucket, and no secret', () => {
    const jobs = template.toJSON().Resources[logicalId(template, 'AWS::Lambda::Function', 'JobsApi')];
    const env = jobs.Properties.Environment.Variables;
    expect(Object.keys(env).filter((k) => k.startsWith('TABLE_'))).toEqual([allTables.find((t) => t.name === 'jobs')!.envVar]);
    expect(env.ROUTER_CATALOG).toBe('/var/task/catalog.json');
    expect(env.BATCH_QUEUE_URL).toEqual({ Ref: logicalId(template, 'AWS::SQS::Queue', 'BatchQueue') });
    expect(env.ROUTER_FILES_BUCKET).toEqual({ Ref: logicalId(template, 'AWS::S3::Bucket', 'FilesBucket') });
    expect(env.PROVIDER_SECRET_ARN).toBeUndefined();
    expect(jobs.Properties.Timeout).toBeGreaterThanOrEqual(60);
  });

  it('gives the batch worker what the chat service needs plus the queue it delays retries on', () => {
    const worker = template.toJSON().Resources[logicalId(template, 'AWS::Lambda::Function', 'BatchWorker')];
    const env = worker.Properties.Environment.Variables;
    for (const name of ['costs', 'health', 'jobs', 'tenants', 'cache', 'usage']) {
      expect(env[allTables.find((t) => t.name === name)!.envVar]).toEqual({ Ref: tableId(name) });
    }
    expect(env.ROUTER_CATALOG).toBe('/var/task/catalog.json');
    expect(env.BATCH_QUEUE_URL).toEqual({ Ref: logicalId(template, 'AWS::SQS::Queue', 'BatchQueue') });
  });

  it('tells the authorizer only the tenant table and the stage (usage-plan keys are derived, none is shared)', () => {
    const authorizer = template.toJSON().Resources[logicalId(template, 'AWS::Lambda::Function', 'Authorizer')];
    const env = authorizer.Properties.Environment.Variables;
    expect(env.TABLE_TENANTS).toEqual({ Ref: tableId('tenants') });
    expect(Object.keys(env).filter((k) => k.startsWith('TABLE_'))).toEqual(['TABLE_TENANTS']);
    expect(env.STAGE).toBe('dev');
    expect(env.DEFAULT_USAGE_PLAN_KEY).toBeUndefined();
    expect(env.PROVIDER_SECRET_ARN).toBeUndefined();
  });
});

describe('API', () => {
  const methods = () => template.findResources('AWS::ApiGateway::Method');

  it('streams chat completions, models and the /v1 proxy from the router, batches and files from the jobs function', () => {
    const routerId = logicalId(template, 'AWS::Lambda::Function', 'Router');
    const jobsId = logicalId(template, 'AWS::Lambda::Function', 'JobsApi');
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const jobsResources = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::ApiGateway::Resource' && ['batches', 'files'].includes(r.Properties.PathPart))
      .flatMap(([id]) => [id, ...Object.entries(resources).filter(([, r]) => r.Properties.ParentId?.Ref === id).map(([below]) => below)]);
    expect(jobsResources).toHaveLength(4);
    const all = Object.values(methods());
    expect([...new Set(all.map((m) => m.Properties.HttpMethod))].sort()).toEqual(['ANY', 'GET', 'POST']);
    for (const m of all) {
      const props = m.Properties;
      expect(props.Integration.Type).toBe('AWS_PROXY');
      expect(props.Integration.ResponseTransferMode).toBe('STREAM');
      const uri = JSON.stringify(props.Integration.Uri);
      const jobs = jobsResources.includes(props.ResourceId?.Ref);
      expect(uri).toContain(jobs ? jobsId : routerId);
      expect(uri).not.toContain(jobs ? routerId : jobsId);
      expect(props.Integration.Uri['Fn::Join'][1].at(-1)).toBe('/response-streaming-invocations');
    }
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'completions' });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'models' });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
  });

  it('routes /v1/batches (list, create) and everything below it to the jobs function', () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const batchesId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGateway::Resource' && r.Properties.PathPart === 'batches')?.[0];
    expect(batchesId).toBeDefined();
    const verbs = Object.values(methods()).filter((m) => m.Properties.ResourceId?.Ref === batchesId).map((m) => m.Properties.HttpMethod).sort();
    expect(verbs).toEqual(['GET', 'POST']);
    const below = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGateway::Resource' && r.Properties.ParentId?.Ref === batchesId);
    expect(below?.[1].Properties.PathPart).toBe('{proxy+}');
    const jobsId = logicalId(template, 'AWS::Lambda::Function', 'JobsApi');
    const batchMethods = Object.values(methods()).filter((m) => [batchesId, below?.[0]].includes(m.Properties.ResourceId?.Ref));
    expect(batchMethods).toHaveLength(3);
    for (const m of batchMethods) expect(JSON.stringify(m.Properties.Integration.Uri)).toContain(jobsId);
  });

  it('validates only that the chat body is a JSON object, leaving field errors to the router', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      RequestValidatorId: Match.anyValue(),
      RequestModels: { 'application/json': Match.anyValue() },
    });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    const models = Object.values(template.findResources('AWS::ApiGateway::Model'));
    expect(models).toHaveLength(1);
    expect(models[0]?.Properties.Schema).toEqual({ $schema: 'http://json-schema.org/draft-04/schema#', title: 'ChatCompletionRequest', type: 'object' });
  });

  it('protects every method with the cached Lambda TOKEN authorizer and requires a usage-plan key', () => {
    const authorizerId = logicalId(template, 'AWS::ApiGateway::Authorizer', 'ApiAuthorizer');
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
    const messagesAuthorizerId = logicalId(template, 'AWS::ApiGateway::Authorizer', 'ApiMessagesAuthorizer');
    const messagesResources = Object.entries(template.findResources('AWS::ApiGateway::Resource'))
      .filter(([, r]) => ['messages', 'count_tokens'].includes(r.Properties.PathPart)).map(([id]) => id);
    expect(messagesResources).toHaveLength(2);
    for (const method of Object.values(methods())) {
      expect(method.Properties.AuthorizationType).toBe('CUSTOM');
      const onMessages = messagesResources.includes(method.Properties.ResourceId?.Ref);
      expect(method.Properties.AuthorizerId).toEqual({ Ref: onMessages ? messagesAuthorizerId : authorizerId });
      expect(method.Properties.ApiKeyRequired).toBe(true);
    }
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
  });

  it('authorizes the Messages API routes by x-api-key or Authorization (REQUEST authorizer, no identity cache)', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'REQUEST', AuthorizerResultTtlInSeconds: 0 });
    const messagesPosts = Object.values(methods()).filter((m) => m.Properties.AuthorizerId?.Ref === logicalId(template, 'AWS::ApiGateway::Authorizer', 'ApiMessagesAuthorizer'));
    expect(messagesPosts.map((m) => m.Properties.HttpMethod)).toEqual(['POST', 'POST']);
  });

  it('has no shared usage plan or key that tenants could fall back to', () => {
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
  });

  it('gives each tenant of the context its own usage plan, holding only the key the authorizer derives for it', () => {
    const { template: withTenants } = synthStack({
      context: { 'llm-router:tenant-plans': JSON.stringify({ acme: 'pro', globex: { plan: 'free', requestsPerSecond: 2 } }) },
    });
    const plans = withTenants.findResources('AWS::ApiGateway::UsagePlan');
    const keys = withTenants.findResources('AWS::ApiGateway::ApiKey');
    const links = Object.values(withTenants.findResources('AWS::ApiGateway::UsagePlanKey'));
    expect(Object.keys(plans)).toHaveLength(2);
    expect(links).toHaveLength(2);
    const planOf = (tenantId: string) => {
      const [planId, plan] = Object.entries(plans).find(([, p]) => p.Properties.UsagePlanName === usagePlanName('dev', tenantId))!;
      const link = links.filter((l) => JSON.stringify(l.Properties.UsagePlanId) === JSON.stringify({ Ref: planId }));
      expect(link).toHaveLength(1);
      const keyId = (link[0]!.Properties.KeyId as { Ref: string }).Ref;
      return { plan: plan.Properties, keyValue: keys[keyId]!.Properties.Value };
    };
    const acme = planOf('acme');
    const globex = planOf('globex');
    expect(acme.keyValue).toBe(usagePlanKeyValue('dev', 'acme'));
    expect(globex.keyValue).toBe(usagePlanKeyValue('dev', 'globex'));
    expect(acme.plan).toMatchObject({ Throttle: { RateLimit: PLAN_PRESETS['pro']!.requestsPerSecond, BurstLimit: PLAN_PRESETS['pro']!.burst }, Quota: { Limit: PLAN_PRESETS['pro']!.monthlyRequests, Period: 'MONTH' } });
    expect(globex.plan).toMatchObject({ Throttle: { RateLimit: 2, BurstLimit: PLAN_PRESETS['free']!.burst }, Quota: { Limit: PLAN_PRESETS['free']!.monthlyRequests } });
  });

  it('names the tenant when a plan in the context is unknown', () => {
    expect(() => synthStack({ context: { 'llm-router:tenant-plans': { acme: 'platinum' } } })).toThrow(/acme: unknown plan 'platinum'/);
  });

  it('renders gateway errors in OpenAI error JSON', () => {
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'));
    const types = responses.map((r) => r.Properties.ResponseType);
    expect(types).toEqual(
      expect.arrayContaining(['UNAUTHORIZED', 'ACCESS_DENIED', 'THROTTLED', 'QUOTA_EXCEEDED', 'DEFAULT_4XX', 'DEFAULT_5XX']),
    );
    for (const response of responses) {
      const body = response.Properties.ResponseTemplates['application/json'] as string;
      // VTL placeholders aside, the template is OpenAI's error shape.
      const parsed = JSON.parse(body.replace('$context.error.messageString', '"x"'));
      expect(Object.keys(parsed.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    }
    const byType = Object.fromEntries(responses.map((r) => [r.Properties.ResponseType, r.Properties]));
    expect(byType.UNAUTHORIZED.StatusCode).toBe('401');
    expect(byType.THROTTLED.StatusCode).toBe('429');
    expect(byType.QUOTA_EXCEEDED.StatusCode).toBe('429');
    expect(JSON.parse(byType.QUOTA_EXCEEDED.ResponseTemplates['application/json']).error.type).toBe('insufficient_quota');
  });

  it('logs access to a log group and throttles the stage', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]!.Properties;
    expect(stage.StageName).toBe('dev');
    expect(stage.AccessLogSetting.DestinationArn).toEqual({
      'Fn::GetAtt': [logicalId(template, 'AWS::Logs::LogGroup', 'ApiAccessLogs'), 'Arn'],
    });
    const format = JSON.parse(stage.AccessLogSetting.Format);
    expect(format.tenantId).toBe('$context.authorizer.tenantId');
    expect(stage.AccessLogSetting.Format).not.toMatch(/Authorization|header/i);
    expect(stage.MethodSettings[0]).toMatchObject({ DataTraceEnabled: false, LoggingLevel: 'ERROR' });
    expect(stage.MethodSettings[0].ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage.MethodSettings[0].ThrottlingBurstLimit).toBeGreaterThan(0);
  });
});

describe('batch', () => {
  it('redrives to the DLQ after maxReceiveCount and hides messages for >= 6x the worker timeout', () => {
    const queue = template.toJSON().Resources[logicalId(template, 'AWS::SQS::Queue', 'BatchQueue')].Properties;
    const dlqId = logicalId(template, 'AWS::SQS::Queue', 'BatchDeadLetterQueue');
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: batchQueue.maxReceiveCount,
    });
    const worker = template.toJSON().Resources[logicalId(template, 'AWS::Lambda::Function', 'BatchWorker')].Properties;
    expect(worker.Timeout).toBe(batchQueue.workerTimeoutSeconds);
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * worker.Timeout);
    for (const q of Object.values(template.findResources('AWS::SQS::Queue'))) {
      expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    }
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      2,
    );
  });

  it('feeds the worker in batches of 10 with partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(template, 'AWS::Lambda::Function', 'BatchWorker') },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumBatchingWindowInSeconds: Match.anyValue(),
      ScalingConfig: { MaximumConcurrency: Match.anyValue() },
    });
  });
});

describe('health check', () => {
  const fnId = () => logicalId(template, 'AWS::Lambda::Function', 'HealthCheckFunction');

  it('invokes the health-check function every minute', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: { Arn: { 'Fn::GetAtt': [fnId(), 'Arn'] } },
    });
  });

  it('never retries a run: neither Scheduler nor Lambda\'s asynchronous invocation', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: { RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } },
    });
    // Scheduler invokes asynchronously; without this Lambda would retry a failed run twice on its own.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId() },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
    // A run ends (timeout) before the next one starts.
    expect(template.toJSON().Resources[fnId()].Properties.Timeout).toBeLessThan(60);
  });

  it('reserves one concurrent execution only when asked (new accounts cannot reserve any)', () => {
    expect(template.toJSON().Resources[fnId()].Properties.ReservedConcurrentExecutions).toBeUndefined();
    const reserved = synthStack({ context: { 'llm-router:health-check-reserved-concurrency': 'true' } }).template;
    const fn = reserved.toJSON().Resources[logicalId(reserved, 'AWS::Lambda::Function', 'HealthCheckFunction')];
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(1);
  });
});

describe('monitoring', () => {
  const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);

  it('alarms on dead letters, 5xx rate and each unhealthy provider, notifying the topic', () => {
    const topicId = logicalId(template, 'AWS::SNS::Topic', 'MonitoringAlarmTopic');
    const all = alarms();
    for (const alarm of all) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);

    const dlq = all.find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(dlq).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });

    const rate = all.find((a) => a.Metrics?.some((m: { Expression?: string }) => m.Expression?.includes('errors')));
    const names = rate.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).map(
      (m: { MetricStat: { Metric: { MetricName: string } } }) => m.MetricStat.Metric.MetricName,
    );
    expect(names.sort()).toEqual(['5XXError', 'Count']);

    const providers = all.filter((a) => a.MetricName === metricNames.providerUnhealthy);
    expect(providers.map((a) => a.Dimensions[0].Value).sort()).toEqual(['anthropic', 'bedrock', 'openai']);
    for (const a of providers) expect(a.Namespace).toBe(metricNamespace);
  });

  it('lets CloudWatch alarms of this account publish to the topic, and only over TLS for everyone', () => {
    const topicId = logicalId(template, 'AWS::SNS::Topic', 'MonitoringAlarmTopic');
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(1);
    expect(policies[0]!.Properties.Topics).toEqual([{ Ref: topicId }]);
    const statements = policies[0]!.Properties.PolicyDocument.Statement as Array<Record<string, any>>;
    const allow = statements.filter((s) => s.Effect === 'Allow');
    expect(allow).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] } },
        },
      }),
    ]);
    expect(statements).toContainEqual(expect.objectContaining({
      Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
  });

  it('subscribes the alarm e-mail only when configured', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const withEmail = synthStack({ context: { 'llm-router:alarm-email': 'ops@example.com' } }).template;
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('has a dashboard over the contract metrics', () => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]!;
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const name of [metricNames.costUsd, metricNames.cacheHit, metricNames.cacheMiss, metricNames.fallbacks, metricNames.requests]) {
      expect(body).toContain(name);
    }
    expect(body).toContain('p99');
    expect(body).toContain('Model');
  });
});

describe('outputs', () => {
  it('exports the API URL, queues, tables and the secret', () => {
    const outputs = template.toJSON().Outputs;
    for (const key of ['ApiUrl', 'BatchQueueUrl', 'DlqUrl', 'ProviderSecretArn', 'CacheTableName', 'HealthTableName', 'CostsTableName', 'JobsTableName', 'TenantsTableName']) {
      expect(outputs[key], key).toBeDefined();
    }
    expect(outputs.ApiUrl.Value['Fn::Join'][1].at(-1)).toBe('/v1');
  });
});
