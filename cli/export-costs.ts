// `npm run export-costs -- --table-arn <arn> --bucket <bucket> [--prefix p] [--bucket-owner id] [--region r]`
//   starts a point-in-time export of the cost table to S3 (DynamoDB JSON; needs PITR, which the stack enables).
// `npm run export-costs -- --local [--out .local-data/exports]`
//   writes the local runtime's cost table in the same layout, for `npm run cost-report`; finds a running
//   `npm start` by itself (see dynamo.ts).
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ExportTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import type { ExportTableToPointInTimeCommandInput } from '@aws-sdk/client-dynamodb';
import { costTable } from '#contracts/tables.ts';
import { helpText, parseCommand, stringOption, UsageError } from './command.ts';
import type { CommandSpec } from './command.ts';
import { dynamoTarget, tableName } from './dynamo.ts';
import { runMain } from './io.ts';
import type { Io } from './io.ts';
import { exportTableLocally } from './local-export.ts';

export const exportCostsSpec: CommandSpec = {
  invocation: 'npm run export-costs --',
  summary: 'Exports the cost table: on AWS a point-in-time export to S3 (DynamoDB JSON, full export); with --local the local runtime\'s cost table, written in the same layout to a folder. Read either with npm run cost-report.',
  options: {
    'table-arn': { type: 'string', value: '<arn>', description: 'ARN of the costs table (stack output CostsTableName; arn:aws:dynamodb:<region>:<account>:table/<name>)' },
    bucket: { type: 'string', value: '<bucket>', description: 'S3 bucket to export to' },
    prefix: { type: 'string', value: '<prefix>', description: 'key prefix in the bucket' },
    'bucket-owner': { type: 'string', value: '<account>', description: 'account id owning the bucket, when it is another account' },
    region: { type: 'string', value: '<region>', description: "region of the table (default: the ARN's)" },
    local: { type: 'boolean', description: 'export the local runtime instead (finds a running `npm start` by itself)' },
    out: { type: 'string', value: '<dir>', description: 'with --local: folder to write to (default: .local-data/exports)' },
    endpoint: { type: 'string', value: '<url>', description: 'with --local: DynamoDB endpoint (default: found in .local-data/runtime.json)' },
    table: { type: 'string', value: '<name>', description: 'with --local: table name (default: the local costs table)' },
    'data-dir': { type: 'string', value: '<dir>', description: 'with --local: data folder of the local runtime (default: ROUTER_DATA_DIR or .local-data)' },
  },
  examples: [
    'npm run export-costs -- --local --out .local-data/exports',
    'npm run export-costs -- --table-arn arn:aws:dynamodb:eu-west-1:123456789012:table/LlmRouter-dev-costs --bucket my-exports --prefix costs',
  ],
};

export type ExportCostsArgs =
  | { mode: 'aws'; tableArn: string; bucket: string; prefix?: string; bucketOwner?: string; region?: string }
  | { mode: 'local'; out: string; endpoint?: string; table?: string; dataDir?: string };

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;

export function parseExportCostsArgs(argv: string[]): ExportCostsArgs | 'help' {
  const parsed = parseCommand(exportCostsSpec, argv);
  if (parsed.help) return 'help';
  const fail = (message: string) => new UsageError(message, exportCostsSpec.invocation);
  const values = Object.fromEntries(Object.entries(parsed.values).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  if (parsed.positionals.length) throw fail(`unexpected argument '${parsed.positionals[0]}'`);
  if (parsed.values['local'] === true) {
    const awsOnly = ['table-arn', 'bucket', 'prefix', 'bucket-owner', 'region'].find((name) => values[name] !== undefined);
    if (awsOnly) throw fail(`--${awsOnly} is for AWS exports; --local writes to a folder (--out)`);
    return {
      mode: 'local', out: values['out'] ?? '.local-data/exports',
      ...(values['endpoint'] ? { endpoint: values['endpoint'] } : {}), ...(values['table'] ? { table: values['table'] } : {}),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    };
  }
  const localOnly = ['out', 'endpoint', 'table', 'data-dir'].find((name) => values[name] !== undefined);
  if (localOnly) throw fail(`--${localOnly} goes with --local`);
  const tableArn = values['table-arn'];
  const bucket = values['bucket'];
  if (!tableArn || !bucket) throw fail('--table-arn and --bucket are required (or --local for the local runtime)');
  if (!TABLE_ARN.test(tableArn)) throw fail(`--table-arn is not a DynamoDB table ARN: ${tableArn}`);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw fail(`--bucket is not an S3 bucket name: ${bucket}`);
  const prefix = values['prefix']?.replace(/^\/+|\/+$/g, '');
  return {
    mode: 'aws', tableArn, bucket,
    ...(prefix ? { prefix } : {}),
    ...(values['bucket-owner'] ? { bucketOwner: values['bucket-owner'] } : {}),
    ...(values['region'] ? { region: values['region'] } : {}),
  };
}

/** The ExportTableToPointInTime request: full export, DynamoDB JSON, idempotent per client token. */
export function buildExportRequest(args: Extract<ExportCostsArgs, { mode: 'aws' }>, clientToken: string = randomUUID()): ExportTableToPointInTimeCommandInput {
  return {
    TableArn: args.tableArn,
    S3Bucket: args.bucket,
    ...(args.prefix ? { S3Prefix: args.prefix } : {}),
    ...(args.bucketOwner ? { S3BucketOwner: args.bucketOwner } : {}),
    ExportFormat: 'DYNAMODB_JSON',
    ExportType: 'FULL_EXPORT',
    ClientToken: clientToken,
  };
}

/** The region of the table, from its ARN, unless given. */
export function regionOf(args: Extract<ExportCostsArgs, { mode: 'aws' }>): string {
  return args.region ?? TABLE_ARN.exec(args.tableArn)![1]!;
}

export async function exportCosts(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const args = parseExportCostsArgs(argv);
  if (args === 'help') {
    io.out(helpText(exportCostsSpec));
    return;
  }
  if (args.mode === 'local') {
    const target = await dynamoTarget({ local: true, env, ...(args.endpoint ? { endpoint: args.endpoint } : {}), ...(args.dataDir ? { dataDir: args.dataDir } : {}) });
    try {
      const table = tableName(target, costTable, { ...(args.table ? { table: args.table } : {}), local: true, env });
      const result = await exportTableLocally(target.raw, table, args.out);
      io.out(`exported ${result.itemCount} items of ${table} from ${target.source} to ${result.folder}\nreport: npm run cost-report -- ${args.out}`);
    } finally {
      await target.close();
    }
    return;
  }
  const client = new DynamoDBClient({ region: regionOf(args) });
  try {
    const { ExportDescription: d } = await client.send(new ExportTableToPointInTimeCommand(buildExportRequest(args)));
    io.out([
      `export ${d?.ExportStatus ?? 'started'}: ${d?.ExportArn ?? ''}`,
      `when COMPLETED: npm run cost-report -- s3://${args.bucket}/${args.prefix ?? ''}`,
    ].join('\n'));
  } finally {
    client.destroy();
  }
}

if (import.meta.main) runMain((io) => exportCosts(process.argv.slice(2), io));
