// The files API's dependencies, built once per cold start. The store is chosen from the environment
// (bucket on AWS, data directory or memory locally); the S3 SDK loads only when a bucket is set.
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { createFileStore } from '#adapters/files/create-file-store.ts';
import type { FileStoreConfig } from '#adapters/files/create-file-store.ts';
import { DEFAULT_MAX_FILE_BYTES, filesEnv } from '#contracts/files.ts';
import { fileIdAt } from '#core/files/file-id.ts';
import { FilesService } from '#core/files/files-service.ts';
import type { FileStore } from '#core/files/ports.ts';
import { systemClock } from '#core/shared/clock.ts';
import { coldStart } from './cold-start.ts';
import { parseEnv } from './env.ts';

const schema = z.object({
  [filesEnv.bucket]: z.string().min(1).optional(),
  [filesEnv.directory]: z.string().min(1).optional(),
  [filesEnv.maxBytes]: z.coerce.number().int().positive().default(DEFAULT_MAX_FILE_BYTES),
  AWS_ENDPOINT_URL_S3: z.string().min(1).optional(),
});

function readConfig(): { store: FileStoreConfig; maxBytes: number } {
  const env = parseEnv(schema, 'Files API') as Record<string, string | number | undefined>;
  const bucket = env[filesEnv.bucket] as string | undefined;
  const directory = env[filesEnv.directory] as string | undefined;
  const store: FileStoreConfig = bucket
    // An S3-compatible endpoint (AWS_ENDPOINT_URL_S3) is addressed path-style.
    ? { kind: 's3', bucket, forcePathStyle: env['AWS_ENDPOINT_URL_S3'] !== undefined }
    : directory ? { kind: 'directory', path: directory } : { kind: 'memory' };
  return { store, maxBytes: env[filesEnv.maxBytes] as number };
}

/** The tenant-scoped file store (also used by the batch API for input and result files). */
export const fileStore: () => Promise<FileStore> = coldStart(async () => createFileStore(readConfig().store));

export const filesService: () => Promise<FilesService> = coldStart(async () => new FilesService({
  files: await fileStore(),
  clock: systemClock,
  newFileId: (createdAt) => fileIdAt(createdAt, BigInt(`0x${randomBytes(10).toString('hex')}`).toString(36)),
  maxFileBytes: readConfig().maxBytes,
}));

