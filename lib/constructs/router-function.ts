// House defaults for every Lambda of the router: Node 24 on Graviton, minified ESM with source maps,
// split into chunks loaded on first use (lib/constructs/function-bundle.ts), its own log group with retention, a role that can write only to that log group, and X-Ray active
// tracing (the Powertools Tracer adds a subsegment per provider attempt).
import { copyFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { functionBuildOptions } from './function-bundle.ts';
import type { RouterTable } from './tables.ts';
import { repoPath } from '../paths.ts';
import { envNames } from '#contracts/env.ts';

/** Where the catalog lands inside a bundle, and the value of ROUTER_CATALOG. */
export const bundledCatalogPath = '/var/task/catalog.json';

export interface RouterFunctionProps {
  /** Handler file, relative to the repository root (e.g. `functions/handlers/router.ts`). */
  entry: string;
  description: string;
  timeout: Duration;
  memorySize?: number;
  environment?: Record<string, string>;
  /** Absolute path of a catalog file copied into the bundle as `catalog.json` (ROUTER_CATALOG is set). */
  catalogFile?: string;
  logRetention?: logs.RetentionDays;
  reservedConcurrentExecutions?: number;
}

/**
 * `update`: GetItem and UpdateItem (counters: read, changed in place; never put or deleted). `getItem`: GetItem only. A `leadingKeys` prefix (e.g. `TENANT#`) further limits `getItem` and
 * `query` to items whose partition key starts with it (IAM condition `dynamodb:LeadingKeys`).
 */
export type TableAccess = 'read' | 'write' | 'readWrite' | 'update' | 'getItem' | 'query';

export class RouterFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props: RouterFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: log writes to this log group only.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    logGroup.grantWrite(role);

    const catalogFile = props.catalogFile;
    const functionProps: lambda.FunctionProps = {
      code: bundledCode(repoPath(props.entry), catalogFile),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      role,
      logGroup,
      ...(props.reservedConcurrentExecutions === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        [envNames.nodeOptions]: '--enable-source-maps',
        [envNames.serviceName]: 'llm-router',
        ...(catalogFile ? { [envNames.catalogPath]: bundledCatalogPath } : {}),
        ...props.environment,
      },
    };
    super(scope, id, functionProps);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing grants xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions (the X-Ray service authorization reference lists only "*"); nothing else in this role uses a wildcard resource.',
    });
  }

  /** Grants `access` to the table and tells the function its name through the table's env var. */
  useTable(table: RouterTable, access: TableAccess, leadingKeys?: string): this {
    if (access === 'update' || access === 'getItem' || access === 'query') {
      const actions = access === 'update' ? ['dynamodb:GetItem', 'dynamodb:UpdateItem'] : access === 'getItem' ? ['dynamodb:GetItem'] : ['dynamodb:GetItem', 'dynamodb:Query'];
      this.addToRolePolicy(new iam.PolicyStatement({
        actions,
        resources: [table.table.tableArn],
        ...(leadingKeys ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${leadingKeys}*`] } } } : {}),
      }));
    }
    else if (access === 'read') table.table.grantReadData(this);
    else if (access === 'write') table.table.grantWriteData(this);
    else table.table.grantReadWriteData(this);
    this.addEnvironment(table.definition.envVar, table.table.tableName);
    if (table.definition.globalIndexes?.length && this.role) {
      const tableId = Stack.of(this).resolve((table.table.node.defaultChild as CfnElement).logicalId) as string;
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
        reason: `Table grants include the table's own indexes (${table.definition.globalIndexes
          .map((i) => i.name)
          .join(', ')}) as <table>/index/*, so the function can query them; no other table is covered.`,
      });
    }
    return this;
  }
}

/**
 * The handler bundled by esbuild in this process (no Docker: `local.tryBundle` always succeeds, so the
 * image is never pulled), with the catalog copied beside it. Hashed by output, like NodejsFunction.
 */
function bundledCode(entry: string, catalogFile: string | undefined): lambda.Code {
  return lambda.Code.fromAsset(repoPath('functions'), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
      // Never run (tryBundle does the work), but part of CDK's bundling cache key: without it every
      // function of the stack would share the first one's bundle (tryBundle is not part of the key).
      command: ['esbuild', relative(repoPath('.'), entry), ...(catalogFile ? ['--catalog', catalogFile] : [])],
      local: {
        tryBundle(outputDir: string): boolean {
          buildSync(functionBuildOptions(entry, outputDir));
          if (catalogFile) copyFileSync(catalogFile, join(outputDir, 'catalog.json'));
          return true;
        },
      },
    },
  });
}
