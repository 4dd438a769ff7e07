// The files API's dependencies, built once per cold start. The store is chosen from the environment
// (bucket on AWS, data directory or memory locally); the S3 SDK loads only when a bucket is set.
import { randomBytes } from 'node:crypto';
import { createFileStore } from '#adapters/files/create-file-store.ts';
import type { FileStoreConfig } from '#adapters/files/create-file-store.ts';
import { fileIdAt } from '#core/files/file-id.ts';
import { FilesService } from '#core/files/files-service.ts';
import type { FileStore } from '#core/files/ports.ts';
import { systemClock } from '#core/shared/clock.ts';
import { coldStart } from './cold-start.ts';
import { readFilesConfig } from './jobs-config.ts';

function readConfig(): { store: FileStoreConfig; maxBytes: number } {
  const config = readFilesConfig();
  const store: FileStoreConfig = config.bucket
    // An S3-compatible endpoint (AWS_ENDPOINT_URL_S3) is addressed path-style.
    ? { kind: 's3', bucket: config.bucket, forcePathStyle: config.s3PathStyle }
    : config.directory ? { kind: 'directory', path: config.directory } : { kind: 'memory' };
  return { store, maxBytes: config.maxBytes };
}

/** The tenant-scoped file store (also used by the batch API for input and result files). */
export const fileStore: () => Promise<FileStore> = coldStart(async () => createFileStore(readConfig().store));

export const filesService: () => Promise<FilesService> = coldStart(async () => new FilesService({
  files: await fileStore(),
  clock: systemClock,
  newFileId: (createdAt) => fileIdAt(createdAt, BigInt(`0x${randomBytes(10).toString('hex')}`).toString(36)),
  maxFileBytes: readConfig().maxBytes,
}));

