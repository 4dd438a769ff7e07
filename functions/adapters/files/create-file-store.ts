// Picks the FileStore for the environment: S3 when a bucket is configured (AWS), a folder when the
// local runtime has a data directory, process memory otherwise. The S3 adapter (and with it the S3
// SDK) is imported only when chosen, so functions and requests that never touch files never load it.
import type { FileStore } from '#core/files/ports.ts';
import { DirectoryFileStore } from './directory-file-store.ts';
import { MemoryFileStore } from './memory-file-store.ts';

export type FileStoreConfig =
  | { kind: 's3'; bucket: string; forcePathStyle: boolean }
  | { kind: 'directory'; path: string }
  | { kind: 'memory' };

/** One memory store per process: the local router and batch worker share it, as they share S3 in AWS. */
let memory: MemoryFileStore | undefined;

export async function createFileStore(config: FileStoreConfig): Promise<FileStore> {
  if (config.kind === 's3') {
    const { S3FileStore } = await import('./s3-file-store.ts');
    return new S3FileStore({ bucket: config.bucket, forcePathStyle: config.forcePathStyle });
  }
  if (config.kind === 'directory') return new DirectoryFileStore(config.path);
  memory ??= new MemoryFileStore();
  return memory;
}
