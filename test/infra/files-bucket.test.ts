// The files bucket (batch input and result files): encryption, public access, TLS, lifecycle,
// versioning, retention; least-privilege grants (the jobs function alone, files/ only); the /v1/files routes
// behind the same authorizer as the batch routes; cdk-nag acknowledgements that are really used.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FILE_RETENTION_DAYS, filesEnv } from '#contracts/files.ts';
import { logicalId, statementsOf as statementsOfRole, synthStack } from './support.ts';
import type { PolicyStatement } from './support.ts';

// A synth takes ~2 s alone but over 25 s when the shared 2-core machine is loaded.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

type Statement = PolicyStatement;
type Resources = Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>; // eslint-disable-line @typescript-eslint/no-explicit-any

let template: Template;
let resources: Resources;
let bucketId: string;
beforeAll(() => {
  template = synthStack().template;
  resources = template.toJSON().Resources as Resources;
  bucketId = logicalId(template, 'AWS::S3::Bucket', 'FilesBucket');
});

const statementsOf = (rolePrefix: string): Statement[] => statementsOfRole(template, rolePrefix);
const s3Statements = (statements: Statement[]) => statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));

describe('files bucket', () => {
  it('is the only bucket, encrypted (SSE-S3), with every public access blocked and ACLs disabled', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    const props = resources[bucketId]!.Properties;
    expect(props.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(props.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('expires files after the retention period and aborts stale multipart uploads', () => {
    expect(resources[bucketId]!.Properties.LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'expire-files', Prefix: 'files/', Status: 'Enabled', ExpirationInDays: FILE_RETENTION_DAYS, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
    });
  });

  it('is not versioned (deleted files are gone) and is retained with the stack', () => {
    expect(resources[bucketId]!.Properties.VersioningConfiguration).toBeUndefined();
    expect(resources[bucketId]!.DeletionPolicy).toBe('Retain');
    expect(resources[bucketId]!.UpdateReplacePolicy).toBe('Retain');
  });

  it('denies every request that is not over TLS', () => {
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p) => p.Properties.Bucket.Ref === bucketId);
    expect(policy).toBeDefined();
    const deny = (policy!.Properties.PolicyDocument.Statement as Statement[]).find((s) => s.Effect === 'Deny');
    expect(deny).toMatchObject({ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });
});

describe('files grants', () => {
  it('lets the jobs function get, put and delete objects under files/ only, and list only that prefix', () => {
    const statements = s3Statements(statementsOf('JobsApiRole'));
    expect(statements).toHaveLength(2);
    const objects = statements.find((s) => [s.Action].flat().includes('s3:GetObject'))!;
    expect([objects.Action].flat().sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
    expect(objects.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/files/*']] });
    const list = statements.find((s) => [s.Action].flat().includes('s3:ListBucket'))!;
    expect(list.Action).toBe('s3:ListBucket');
    expect(list.Resource).toEqual({ 'Fn::GetAtt': [bucketId, 'Arn'] });
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['files/*'] } });
  });

  it('gives no other function any S3 access', () => {
    for (const role of ['RouterRole', 'AuthorizerRole', 'BatchWorkerRole', 'HealthCheckFunctionRole']) expect(s3Statements(statementsOf(role))).toEqual([]);
  });

  it('tells the jobs function the bucket name, and no other function', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const withBucket = Object.entries(functions).filter(([, f]) => f.Properties.Environment?.Variables?.[filesEnv.bucket] !== undefined);
    expect(withBucket.map(([id]) => id)).toEqual([logicalId(template, 'AWS::Lambda::Function', 'JobsApi')]);
    expect(withBucket[0]![1].Properties.Environment.Variables[filesEnv.bucket]).toEqual({ Ref: bucketId });
  });
});

describe('files routes', () => {
  const resourceId = (pathPart: string, parent?: string) => Object.entries(resources)
    .find(([, r]) => r.Type === 'AWS::ApiGateway::Resource' && r.Properties.PathPart === pathPart && (parent === undefined || r.Properties.ParentId?.Ref === parent))?.[0];
  const methodsOn = (id: string | undefined) => Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Method' && r.Properties.ResourceId?.Ref === id);

  it('serves /v1/files (GET, POST) and everything below it from the jobs function, streamed, behind the batch routes\' authorizer', () => {
    const files = resourceId('files');
    const below = resourceId('{proxy+}', files);
    expect(methodsOn(files).map((m) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'POST']);
    expect(methodsOn(below).map((m) => m.Properties.HttpMethod)).toEqual(['ANY']);
    const batchesAuthorizer = methodsOn(resourceId('batches')).map((m) => JSON.stringify(m.Properties.AuthorizerId));
    const jobsId = logicalId(template, 'AWS::Lambda::Function', 'JobsApi');
    for (const method of [...methodsOn(files), ...methodsOn(below)]) {
      expect(method.Properties.AuthorizationType).toBe('CUSTOM');
      expect(method.Properties.ApiKeyRequired).toBe(true);
      expect(JSON.stringify(method.Properties.AuthorizerId)).toBe(batchesAuthorizer[0]);
      expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(jobsId);
      expect(method.Properties.Integration.ResponseTransferMode).toBe('STREAM');
    }
    expect(JSON.stringify(methodsOn(files)[0]!.Properties.AuthorizerId)).toContain('ApiAuthorizer');
  });

  it('passes multipart uploads through as binary (base64 to the jobs function)', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['multipart/form-data'] });
  });
});

describe('cdk-nag on the files bucket', () => {
  it('has no unacknowledged finding, and acknowledges exactly S1 on the bucket and IAM5 on the files/ grant', () => {
    const { app, stack } = synthStack({ context: { 'llm-router:stage': 'nagfiles' } });
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
    const acks = stack.files.node.findAll().concat(stack.jobsApi.role ? [stack.jobsApi.role] : [])
      .flatMap((c) => c.node.metadata.filter((m) => /acknowledg/i.test(m.type)).map((m) => JSON.stringify(m.data)));
    expect(acks.filter((a) => a.includes('AwsSolutions-S1'))).toHaveLength(1);
    expect(acks.filter((a) => /AwsSolutions-IAM5\[Resource::<FilesBucket[0-9A-F]+\.Arn>\/files\/\*\]/.test(a))).toHaveLength(1);
  });

  it('would flag a bucket like it without the S1 acknowledgement (the acknowledgement is needed)', () => {
    const { app, stack } = synthStack({ context: { 'llm-router:stage': 'nagbare' } });
    new Bucket(stack, 'BareLikeFiles', { encryption: BucketEncryption.S3_MANAGED, blockPublicAccess: BlockPublicAccess.BLOCK_ALL, enforceSSL: true });
    const rules = new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName);
    expect(rules).toEqual(['AwsSolutions-S1']);
  });
});
