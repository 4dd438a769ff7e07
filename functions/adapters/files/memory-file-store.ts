// FileStore in process memory: the local runtime when it keeps no data directory (ephemeral runs, tests).
import type { FileStore, StoredFile } from '#core/files/ports.ts';
import { fileKey, tenantPrefix } from './file-keys.ts';

export class MemoryFileStore implements FileStore {
  private readonly files = new Map<string, { file: StoredFile; content: Uint8Array }>();

  async put(file: StoredFile, content: Uint8Array): Promise<void> {
    this.files.set(fileKey(file.tenantId, file.id), { file: { ...file }, content: Uint8Array.from(content) });
  }

  async head(tenantId: string, fileId: string): Promise<StoredFile | undefined> {
    const entry = this.files.get(fileKey(tenantId, fileId));
    return entry ? { ...entry.file } : undefined;
  }

  async read(tenantId: string, fileId: string): Promise<Uint8Array | undefined> {
    const entry = this.files.get(fileKey(tenantId, fileId));
    return entry ? Uint8Array.from(entry.content) : undefined;
  }

  async delete(tenantId: string, fileId: string): Promise<void> {
    this.files.delete(fileKey(tenantId, fileId));
  }

  async *listIds(tenantId: string, startAfter?: string): AsyncIterable<string> {
    const prefix = tenantPrefix(tenantId);
    const ids = [...this.files.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)).sort();
    for (const id of ids) if (startAfter === undefined || id > startAfter) yield id;
  }
}
