// Least privilege: who may touch which table, the secret, the queue and Bedrock.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { logicalId, statementsOf as statementsOfRole, synthStack } from './support.ts';
import type { PolicyStatement } from './support.ts';

// A synth takes ~2 s alone but over 25 s when the shared 2-core machine is loaded (seen at load 30).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

type Statement = PolicyStatement;

let template: Template;
beforeAll(() => {
  template = synthStack().template;
});

const statementsOf = (rolePrefix: string): Statement[] => statementsOfRole(template, rolePrefix);

const actions = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());
const tableId = (name: string) => logicalId(template, 'AWS::DynamoDB::Table', `Tables${name}Table`);
const dynamoStatements = (statements: Statement[]) =>
  statements.filter((s) => actions([s]).some((a) => a.startsWith('dynamodb:')));
const writeActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

const roles = {
  router: 'RouterRole',
  jobsApi: 'JobsApiRole',
  authorizer: 'AuthorizerRole',
  worker: 'BatchWorkerRole',
  health: 'HealthCheckFunctionRole',
} as const;

describe('authorizer', () => {
  it('may only GetItem key items of the tenant table', () => {
    const dynamo = dynamoStatements(statementsOf(roles.authorizer));
    expect(dynamo).toHaveLength(1);
    expect(actions(dynamo)).toEqual(['dynamodb:GetItem']);
    expect(JSON.stringify(dynamo[0]!.Resource)).toContain(tableId('Tenants'));
    expect(JSON.stringify(dynamo[0]!.Resource)).not.toContain('/index/');
    expect(dynamo[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['KEY#*'] } });
  });

  it('has no secret, queue or Bedrock access', () => {
    const all = actions(statementsOf(roles.authorizer));
    expect(all.filter((a) => /^(secretsmanager|sqs|bedrock|kms):/.test(a))).toEqual([]);
  });
});

describe('provider secret', () => {
  it('is readable only by the router, the batch worker and the health check', () => {
    const secretId = logicalId(template, 'AWS::SecretsManager::Secret', 'ProviderKeys');
    const readers = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes(secretId))
      .map((p) => (p.Properties.Roles as Array<{ Ref: string }>)[0]!.Ref)
      .sort();
    expect(readers).toEqual(
      [roles.worker, roles.health, roles.router].map((r) => logicalId(template, 'AWS::IAM::Role', r)).sort(),
    );
    for (const role of Object.values(roles)) {
      const secretActions = actions(statementsOf(role)).filter((a) => a.startsWith('secretsmanager:'));
      expect(secretActions.filter((a) => !['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'].includes(a))).toEqual([]);
    }
  });
});

describe('tables', () => {
  it('keeps the health check away from costs, tenants, jobs and cache', () => {
    const resources = JSON.stringify(dynamoStatements(statementsOf(roles.health)).map((s) => s.Resource));
    expect(resources).toContain(tableId('Health'));
    for (const other of ['Costs', 'Tenants', 'Jobs', 'Cache']) expect(resources).not.toContain(tableId(other));
  });

  it.each([['router', roles.router], ['batch worker', roles.worker]])(
    'lets the %s read tenant items (budgets, plans; never key items) and change only counters in the usage table',
    (_name, role) => {
      const statements = dynamoStatements(statementsOf(role));
      const tenants = statements.filter((s) => JSON.stringify(s.Resource).includes(tableId('Tenants')));
      expect(tenants).toHaveLength(1);
      expect(actions(tenants).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
      expect(tenants[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#*'] } });
      const usage = statements.filter((s) => JSON.stringify(s.Resource).includes(tableId('Usage')));
      expect(usage).toHaveLength(1);
      expect(actions(usage).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
      expect(JSON.stringify(usage[0]!.Resource)).not.toContain(tableId('Tenants'));
    },
  );

  it('gives the jobs function the jobs table alone, and the router no jobs table', () => {
    const jobs = JSON.stringify(dynamoStatements(statementsOf(roles.jobsApi)).map((s) => s.Resource));
    expect(jobs).toContain(tableId('Jobs'));
    for (const other of ['Costs', 'Tenants', 'Health', 'Cache', 'Usage']) expect(jobs).not.toContain(tableId(other));
    expect(JSON.stringify(dynamoStatements(statementsOf(roles.router)).map((s) => s.Resource))).not.toContain(tableId('Jobs'));
  });

  it('gives the jobs function no secret and no Bedrock (it reads only the catalog)', () => {
    expect(actions(statementsOf(roles.jobsApi)).filter((a) => /^(secretsmanager|bedrock|kms):/.test(a))).toEqual([]);
  });

  it('never grants dynamodb:* or a wildcard table', () => {
    for (const role of Object.values(roles)) {
      for (const s of dynamoStatements(statementsOf(role))) {
        expect(actions([s])).not.toContain('dynamodb:*');
        expect(s.Resource).not.toBe('*');
      }
    }
  });
});

describe('queue and Bedrock', () => {
  it('lets only the jobs function (the batch API) send batch messages', () => {
    const senders = Object.entries(roles)
      .filter(([, role]) => actions(statementsOf(role)).includes('sqs:SendMessage'))
      .map(([name]) => name);
    expect(senders).toEqual(['jobsApi']);
  });

  it('scopes Bedrock invoke to the catalog models', () => {
    const bedrock = statementsOf(roles.router).filter((s) => actions([s]).some((a) => a.startsWith('bedrock:')));
    expect(bedrock).toHaveLength(1);
    expect(actions(bedrock).sort()).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    const resources = JSON.stringify(bedrock[0]!.Resource);
    expect(resources).toContain(':bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0');
    expect(resources).toContain(':inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(resources).toContain(':bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(resources).not.toMatch(/foundation-model\/\*|"\*"/);
    expect(resources).not.toContain('gpt-4o-mini');
  });
});
