// The layout of a DynamoDB export to S3 (ExportTableToPointInTime, DYNAMODB_JSON):
//   <prefix>/AWSDynamoDB/<exportId>/manifest-summary.json   one JSON object
//   <prefix>/AWSDynamoDB/<exportId>/manifest-files.json     JSON lines, one per data file: {itemCount, md5Checksum, etag, dataFileS3Key}
//   <prefix>/AWSDynamoDB/<exportId>/data/<name>.json.gz     gzipped JSON lines {"Item":{...}}
import * as z from 'zod';

export const manifestSummarySchema = z.object({
  version: z.string().optional(),
  exportArn: z.string().optional(),
  startTime: z.string().optional(),
  endTime: z.string().optional(),
  exportTime: z.string().optional(),
  tableArn: z.string().optional(),
  s3Bucket: z.string().optional(),
  s3Prefix: z.string().nullable().optional(),
  manifestFilesS3Key: z.string().optional(),
  itemCount: z.number().optional(),
  outputFormat: z.string().optional(),
}).passthrough();

export type ManifestSummary = z.infer<typeof manifestSummarySchema>;

export const manifestFileSchema = z.object({
  itemCount: z.number().optional(),
  md5Checksum: z.string().optional(),
  etag: z.string().optional(),
  dataFileS3Key: z.string().min(1),
}).passthrough();

export type ManifestFile = z.infer<typeof manifestFileSchema>;

export function parseManifestSummary(text: string, source: string): ManifestSummary {
  const parsed = manifestSummarySchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${source}: not an export manifest summary (${parsed.error.issues[0]?.message})`);
  if (parsed.data.outputFormat !== undefined && parsed.data.outputFormat !== 'DYNAMODB_JSON') {
    throw new Error(`${source}: export format ${parsed.data.outputFormat} is not supported; export with DYNAMODB_JSON`);
  }
  return parsed.data;
}

export function parseManifestFiles(text: string, source: string): ManifestFile[] {
  return text.split('\n').filter((line) => line.trim() !== '').map((line, i) => {
    const parsed = manifestFileSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${source}:${i + 1}: no dataFileS3Key`);
    return parsed.data;
  });
}

/** `data/abc.json.gz` for `prefix/AWSDynamoDB/<id>/data/abc.json.gz`: the key relative to the export folder. */
export function relativeDataKey(dataFileS3Key: string): string {
  const match = /(?:^|\/)AWSDynamoDB\/[^/]+\/(.+)$/.exec(dataFileS3Key);
  return match ? match[1]! : dataFileS3Key;
}

/** Of several exports under one prefix, the newest (by exportTime, then endTime, then id). */
export function newestExport<T extends { id: string; summary: ManifestSummary }>(exports: readonly T[]): T | undefined {
  const time = (e: T) => e.summary.exportTime ?? e.summary.endTime ?? '';
  return [...exports].sort((a, b) => time(a).localeCompare(time(b)) || a.id.localeCompare(b.id)).at(-1);
}
