// Writes the cost table of a DynamoDB endpoint (the local runtime's) in the layout of a real
// ExportTableToPointInTime export, so `cost-report` reads local data exactly as it reads AWS exports:
//   <outDir>/AWSDynamoDB/<exportId>/{manifest-summary.json, manifest-files.json, data/<name>.json.gz}
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface LocalExportResult {
  exportId: string;
  folder: string;
  itemCount: number;
}

export async function exportTableLocally(
  client: DynamoDBClient, tableName: string, outDir: string, now: Date = new Date(),
): Promise<LocalExportResult> {
  const items: Array<Record<string, AttributeValue>> = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  const exportId = `${now.getTime()}-${randomBytes(4).toString('hex')}`;
  const relativeFolder = `AWSDynamoDB/${exportId}`;
  const folder = join(outDir, relativeFolder);
  await mkdir(join(folder, 'data'), { recursive: true });
  const dataName = `${randomBytes(12).toString('base64url').toLowerCase()}.json.gz`;
  const body = gzipSync(items.map((item) => JSON.stringify({ Item: item })).join('\n') + (items.length ? '\n' : ''));
  await writeFile(join(folder, 'data', dataName), body);
  const tableArn = `arn:aws:dynamodb:local:000000000000:table/${tableName}`;
  await writeFile(join(folder, 'manifest-files.json'), `${JSON.stringify({
    itemCount: items.length,
    md5Checksum: createHash('md5').update(body).digest('base64'),
    etag: createHash('md5').update(body).digest('hex'),
    dataFileS3Key: `${relativeFolder}/data/${dataName}`,
  })}\n`);
  const time = now.toISOString();
  await writeFile(join(folder, 'manifest-summary.json'), JSON.stringify({
    version: '2020-06-30',
    exportArn: `${tableArn}/export/${exportId}`,
    startTime: time,
    endTime: time,
    tableArn,
    tableId: 'local',
    exportTime: time,
    s3Bucket: 'local',
    s3Prefix: null,
    s3SseAlgorithm: 'AES256',
    s3SseKmsKeyId: null,
    manifestFilesS3Key: `${relativeFolder}/manifest-files.json`,
    billedSizeBytes: body.length,
    itemCount: items.length,
    outputFormat: 'DYNAMODB_JSON',
  }));
  return { exportId, folder, itemCount: items.length };
}
