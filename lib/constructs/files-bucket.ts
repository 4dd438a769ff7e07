// The files bucket: batch input files uploaded through POST /v1/files and the batches' output and
// error files, one object per file under `files/<tenant>/` (functions/adapters/files/s3-file-store.ts).
//
// - SSE-S3 encryption, all public access blocked, TLS enforced (aws:SecureTransport), owner-enforced
//   object ownership (no ACLs).
// - A lifecycle rule deletes every file FILE_RETENTION_DAYS after upload (OpenAI's batch files expire
//   too) and aborts unfinished multipart uploads after a day.
// - Versioning is off, deliberately: every object is written once under a fresh id (result files are
//   written again only with identical content), so versions protect nothing; and DELETE /v1/files must
//   really remove a tenant's prompts, which a versioned bucket would keep as noncurrent versions.
// - Retained when the stack is deleted (CloudFormation cannot delete a non-empty bucket without a
//   custom resource); the lifecycle rule empties it within FILE_RETENTION_DAYS.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FILE_RETENTION_DAYS, filesEnv } from '#contracts/files.ts';
import type { RouterFunction } from './router-function.ts';

/** Every file key starts with it (then the tenant): the grants are limited to it. */
export const FILES_PREFIX = 'files/';

export class FilesBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{
        id: 'expire-files',
        prefix: FILES_PREFIX,
        expiration: Duration.days(FILE_RETENTION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'No S3 server access logs: the only client is the jobs function (batch and files APIs), and every file request is already in the API access log with its tenant and key id (logs never hold file contents). Enable CloudTrail S3 data events for an object-level audit trail.',
    });
  }

  /**
   * Lets `fn` read, write, delete and list files, and nothing else: objects under `files/` only, listing
   * only with a `files/` prefix. Tenant scoping is the store's (every key carries the caller's tenant).
   */
  grantFiles(fn: RouterFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [this.bucket.arnForObjects(`${FILES_PREFIX}*`)],
    }));
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${FILES_PREFIX}*`] } },
    }));
    fn.addEnvironment(filesEnv.bucket, this.bucket.bucketName);
    if (fn.role) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOfBucket()}.Arn>/${FILES_PREFIX}*]`,
        reason: 'Files live under files/<tenant>/<file id>, with tenants and ids created at run time, so object actions need the files/ prefix wildcard; no other key of the bucket, and no other bucket, is covered.',
      });
    }
  }

  private logicalIdOfBucket(): string {
    const cfn = this.bucket.node.defaultChild as s3.CfnBucket;
    return cfn.stack.resolve(cfn.logicalId) as string;
  }
}
