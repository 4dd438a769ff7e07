// Ports of the files feature: where uploaded batch input files and batch result files live. Every call
// is scoped by tenant: a store can only ever address the caller's own files, so another tenant's file
// id simply does not exist (404, never 403).

/** What OpenAI's files API accepts and produces here: batch input, and the batch output/error files. */
export type FilePurpose = 'batch' | 'batch_output';

/** A stored file's metadata (the content lives beside it). */
export interface StoredFile {
  id: string;
  tenantId: string;
  filename: string;
  purpose: FilePurpose;
  bytes: number;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface FileStore {
  /** Stores the file's content and metadata under the tenant (overwrites a file with the same id). */
  put(file: StoredFile, content: Uint8Array): Promise<void>;
  /** The file's metadata; undefined when the tenant has no such file. */
  head(tenantId: string, fileId: string): Promise<StoredFile | undefined>;
  /** The file's content; undefined when the tenant has no such file. */
  read(tenantId: string, fileId: string): Promise<Uint8Array | undefined>;
  /** Removes the file (no error when it is already gone). */
  delete(tenantId: string, fileId: string): Promise<void>;
  /** The tenant's file ids in ascending id order, starting after `startAfter` (file ids sort newest first). */
  listIds(tenantId: string, startAfter?: string): AsyncIterable<string>;
}
