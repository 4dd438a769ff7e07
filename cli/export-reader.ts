// Reads a DynamoDB export (the real S3 layout) from a local folder or from s3://bucket/prefix and
// returns its items. The newest export under the given location is used.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parseExportLines } from '#core/cost-report/dynamodb-json.ts';
import type { PlainValue } from '#core/cost-report/dynamodb-json.ts';
import { newestExport, parseManifestFiles, parseManifestSummary, relativeDataKey } from '#core/cost-report/export-layout.ts';
import type { ManifestSummary } from '#core/cost-report/export-layout.ts';

export interface LoadedExport {
  location: string;
  summary: ManifestSummary;
  items: Array<Record<string, PlainValue>>;
}

/** Where an export lives: files addressed relative to the export folder. */
interface ExportFolder {
  id: string;
  summary: ManifestSummary;
  read(relative: string): Promise<Buffer>;
  location: string;
}

export async function loadExport(source: string, options: { s3?: S3Client } = {}): Promise<LoadedExport> {
  const folder = source.startsWith('s3://') ? await s3Export(source, options.s3 ?? new S3Client({})) : await localExport(source);
  const files = parseManifestFiles((await folder.read('manifest-files.json')).toString('utf8'), `${folder.location}/manifest-files.json`);
  const items: Array<Record<string, PlainValue>> = [];
  for (const file of files) {
    const relative = relativeDataKey(file.dataFileS3Key);
    const raw = await folder.read(relative);
    const text = (relative.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    items.push(...parseExportLines(text, `${folder.location}/${relative}`));
  }
  return { location: folder.location, summary: folder.summary, items };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** `dir` may be the export folder itself, the `AWSDynamoDB` folder, or the prefix folder above it. */
async function localExport(dir: string): Promise<ExportFolder> {
  const candidates: string[] = [];
  if (await exists(join(dir, 'manifest-summary.json'))) candidates.push(dir);
  for (const base of [join(dir, 'AWSDynamoDB'), dir]) {
    if (candidates.length || !(await exists(base))) continue;
    for (const entry of await readdir(base, { withFileTypes: true })) {
      if (entry.isDirectory() && await exists(join(base, entry.name, 'manifest-summary.json'))) candidates.push(join(base, entry.name));
    }
  }
  const exports = await Promise.all(candidates.map(async (path) => ({
    id: path,
    path,
    summary: parseManifestSummary(await readFile(join(path, 'manifest-summary.json'), 'utf8'), join(path, 'manifest-summary.json')),
  })));
  const chosen = newestExport(exports);
  if (!chosen) throw new Error(`no DynamoDB export found in ${dir} (expected AWSDynamoDB/<exportId>/manifest-summary.json; make one with: npm run export-costs -- --local --out ${dir})`);
  return { id: chosen.id, summary: chosen.summary, location: chosen.path, read: (relative) => readFile(join(chosen.path, relative)) };
}

async function s3Export(uri: string, s3: S3Client): Promise<ExportFolder> {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`not an S3 URI: ${uri}`);
  const bucket = match[1]!;
  const prefix = match[2]!.replace(/\/+$/, '');
  const get = async (key: string): Promise<Buffer> => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  };
  const summaryKeys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix ? `${prefix}/` : '', ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key?.endsWith('/manifest-summary.json')) summaryKeys.push(object.Key);
    token = page.NextContinuationToken;
  } while (token);
  const exports = await Promise.all(summaryKeys.map(async (key) => ({
    id: key.slice(0, -'/manifest-summary.json'.length),
    summary: parseManifestSummary((await get(key)).toString('utf8'), `s3://${bucket}/${key}`),
  })));
  const chosen = newestExport(exports);
  if (!chosen) throw new Error(`no DynamoDB export found under ${uri} (expected AWSDynamoDB/<exportId>/manifest-summary.json)`);
  return { id: chosen.id, summary: chosen.summary, location: `s3://${bucket}/${chosen.id}`, read: (relative) => get(`${chosen.id}/${relative}`) };
}
