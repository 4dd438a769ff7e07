// `npm run export-costs -- --table-arn <arn> --bucket <bucket> [--prefix p] [--bucket-owner id] [--region r]`
//   starts a point-in-time export of the cost table to S3 (DynamoDB JSON; needs PITR, which the stack enables).
// `npm run export-costs -- --local [--out .local-data/exports] [--endpoint url] [--table name]`
//   writes the local runtime's cost table in the same layout, for `npm run cost-report`.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ExportTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import type { ExportTableToPointInTimeCommandInput } from '@aws-sdk/client-dynamodb';
import { costTable } from '#contracts/tables.ts';
import { dynamoTarget, LOCAL_TABLE_PREFIX } from './dynamo.ts';
import { runMain } from './io.ts';
import type { Io } from './io.ts';
import { exportTableLocally } from './local-export.ts';

export const usage = [
  'usage: npm run export-costs -- --table-arn <arn> --bucket <bucket> [--prefix <prefix>] [--bucket-owner <account>] [--region <region>]',
  '       npm run export-costs -- --local [--out .local-data/exports] [--endpoint <url>] [--table <name>]',
].join('\n');

export type ExportCostsArgs =
  | { mode: 'aws'; tableArn: string; bucket: string; prefix?: string; bucketOwner?: string; region?: string }
  | { mode: 'local'; out: string; endpoint?: string; table?: string };

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;

export function parseExportCostsArgs(argv: string[]): ExportCostsArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      'table-arn': { type: 'string' }, bucket: { type: 'string' }, prefix: { type: 'string' }, 'bucket-owner': { type: 'string' },
      region: { type: 'string' }, local: { type: 'boolean' }, out: { type: 'string' }, endpoint: { type: 'string' }, table: { type: 'string' },
    },
  });
  if (positionals.length) throw new Error(usage);
  if (values.local) {
    return { mode: 'local', out: values.out ?? '.local-data/exports', ...(values.endpoint ? { endpoint: values.endpoint } : {}), ...(values.table ? { table: values.table } : {}) };
  }
  const tableArn = values['table-arn'];
  const bucket = values.bucket;
  if (!tableArn || !bucket) throw new Error(`--table-arn and --bucket are required\n${usage}`);
  if (!TABLE_ARN.test(tableArn)) throw new Error(`--table-arn is not a DynamoDB table ARN: ${tableArn}`);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new Error(`--bucket is not an S3 bucket name: ${bucket}`);
  const prefix = values.prefix?.replace(/^\/+|\/+$/g, '');
  return {
    mode: 'aws', tableArn, bucket,
    ...(prefix ? { prefix } : {}),
    ...(values['bucket-owner'] ? { bucketOwner: values['bucket-owner'] } : {}),
    ...(values.region ? { region: values.region } : {}),
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

export async function exportCosts(argv: string[], io: Io): Promise<void> {
  const args = parseExportCostsArgs(argv);
  if (args.mode === 'local') {
    const target = await dynamoTarget({ local: true, ...(args.endpoint ? { endpoint: args.endpoint } : {}) });
    try {
      const table = args.table ?? target.localTables?.[costTable.name] ?? LOCAL_TABLE_PREFIX + costTable.name;
      const result = await exportTableLocally(target.raw, table, args.out);
      io.out(`exported ${result.itemCount} items of ${table} to ${result.folder}\nreport: npm run cost-report -- ${args.out}`);
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
