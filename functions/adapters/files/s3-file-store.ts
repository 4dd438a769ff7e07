// FileStore on S3 (the stack's files bucket). One object per file at `files/<tenant>/<fileId>`; the
// metadata (filename, purpose, creation time) rides as S3 user metadata, so a file is one atomic
// PutObject and listing is ListObjectsV2 under the tenant's prefix (keys sort newest first, see
// core/files/file-id.ts). Loaded lazily by create-file-store.ts: chat traffic never imports the S3 SDK.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { FilePurpose, FileStore, StoredFile } from '#core/files/ports.ts';
import { fileKey, STORED_ID, tenantPrefix } from './file-keys.ts';

/** `NoSuchKey` from GetObject, a bare 404 from HeadObject. */
function notFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

export interface S3FileStoreOptions {
  bucket: string;
  /** Path-style URLs (`endpoint/bucket/key`): for S3-compatible endpoints set with AWS_ENDPOINT_URL_S3. */
  forcePathStyle?: boolean;
  client?: S3Client;
}

export class S3FileStore implements FileStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3FileStoreOptions) {
    this.bucket = options.bucket;
    this.client = options.client ?? new S3Client({ forcePathStyle: options.forcePathStyle ?? false });
  }

  async put(file: StoredFile, content: Uint8Array): Promise<void> {
    await this.client.send(new PutObjectCommand({
      Bucket: this.bucket,
      Key: fileKey(file.tenantId, file.id),
      Body: content,
      ContentType: 'application/jsonl',
      // User metadata must be ASCII: the filename is percent-encoded.
      Metadata: { filename: encodeURIComponent(file.filename), purpose: file.purpose, 'created-at': String(file.createdAt) },
    }));
  }

  async head(tenantId: string, fileId: string): Promise<StoredFile | undefined> {
    if (!STORED_ID.test(fileId)) return undefined;
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: fileKey(tenantId, fileId) }));
      const meta = head.Metadata ?? {};
      return {
        id: fileId, tenantId,
        filename: safeDecode(meta['filename'] ?? ''),
        purpose: (meta['purpose'] ?? 'batch') as FilePurpose,
        bytes: head.ContentLength ?? 0,
        createdAt: Number(meta['created-at'] ?? head.LastModified?.getTime() ?? 0),
      };
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  async read(tenantId: string, fileId: string): Promise<Uint8Array | undefined> {
    if (!STORED_ID.test(fileId)) return undefined;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: fileKey(tenantId, fileId) }));
      return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  async delete(tenantId: string, fileId: string): Promise<void> {
    if (!STORED_ID.test(fileId)) return;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: fileKey(tenantId, fileId) }));
  }

  async *listIds(tenantId: string, startAfter?: string): AsyncIterable<string> {
    const prefix = tenantPrefix(tenantId);
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({
        Bucket: this.bucket, Prefix: prefix,
        ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: `${prefix}${startAfter}` } : {}),
      }));
      for (const object of page.Contents ?? []) {
        const id = object.Key?.slice(prefix.length) ?? '';
        if (STORED_ID.test(id)) yield id;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
