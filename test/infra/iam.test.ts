// Least privilege: who may touch which table, the secret, the queue and Bedrock.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { logicalId, synthStack } from './support.ts';

// A synth takes ~2 s alone but over 25 s when the shared 2-core machine is loaded (seen at load 30).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

let template: Template;
beforeAll(() => {
  template = synthStack().template;
});

/** Statements of every IAM policy attached to the role whose logical id starts with `rolePrefix`. */
function statementsOf(rolePrefix: string): Statement[] {
  const roleId = logicalId(template, 'AWS::IAM::Role', rolePrefix);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const actions = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());
const tableId = (name: string) => logicalId(template, 'AWS::DynamoDB::Table', `Tables${name}Table`);
const dynamoStatements = (statements: Statement[]) =>
  statements.filter((s) => actions([s]).some((a) => a.startsWith('dynamodb:')));
const writeActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

const roles = {
  router: 'RouterRole',
  authorizer: 'AuthorizerRole',
  worker: 'BatchWorkerRole',
  health: 'HealthCheckFunctionRole',
} as const;

describe('authorizer', () => {
  it('reads only the tenant table and writes nothing', () => {
    const statements = statementsOf(roles.authorizer);
    const dynamo = dynamoStatements(statements);
    expect(dynamo.length).toBeGreaterThan(0);
    for (const s of dynamo) {
      const resources = JSON.stringify(s.Resource);
      expect(resources).toContain(tableId('Tenants'));
      for (const other of ['Costs', 'Cache', 'Jobs', 'Health']) expect(resources).not.toContain(tableId(other));
    }
    expect(actions(statements).filter((a) => writeActions.includes(a))).toEqual([]);
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

  it('lets the router read the tenant table and update counters in it, but never put or delete', () => {
    const tenantsStatements = dynamoStatements(statementsOf(roles.router)).filter((s) =>
      JSON.stringify(s.Resource).includes(tableId('Tenants')),
    );
    expect(tenantsStatements.length).toBeGreaterThan(0);
    const granted = tenantsStatements.flatMap((s) => actions([s]));
    expect(granted).toContain('dynamodb:UpdateItem');
    expect(granted).toContain('dynamodb:GetItem');
    for (const s of tenantsStatements) {
      expect(JSON.stringify(s.Resource)).not.toContain(tableId('Costs'));
      expect(actions([s]).filter((a) => writeActions.includes(a) && a !== 'dynamodb:UpdateItem')).toEqual([]);
    }
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
  it('lets only the router send batch messages', () => {
    const senders = Object.entries(roles)
      .filter(([, role]) => actions(statementsOf(role)).includes('sqs:SendMessage'))
      .map(([name]) => name);
    expect(senders).toEqual(['router']);
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
