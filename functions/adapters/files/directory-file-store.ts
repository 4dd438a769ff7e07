// FileStore in a folder: the local runtime's data directory (`<dataDir>/files`). Each file is its
// content at `<folder>/<tenant>/<id>` and its metadata beside it at `<id>.json`; the metadata is written
// last (and removed first), so a file is listed only once it is whole.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileStore, StoredFile } from '#core/files/ports.ts';
import { STORED_ID, tenantSegment } from './file-keys.ts';

const missing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

export class DirectoryFileStore implements FileStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  async put(file: StoredFile, content: Uint8Array): Promise<void> {
    const path = this.path(file.tenantId, file.id);
    await mkdir(join(this.root, tenantSegment(file.tenantId)), { recursive: true });
    // Written aside and renamed: a reader never sees half a file.
    await writeFile(`${path}.tmp`, content);
    await rename(`${path}.tmp`, path);
    await writeFile(`${path}.json.tmp`, JSON.stringify(file));
    await rename(`${path}.json.tmp`, `${path}.json`);
  }

  async head(tenantId: string, fileId: string): Promise<StoredFile | undefined> {
    if (!STORED_ID.test(fileId)) return undefined;
    try {
      return JSON.parse(await readFile(`${this.path(tenantId, fileId)}.json`, 'utf8')) as StoredFile;
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async read(tenantId: string, fileId: string): Promise<Uint8Array | undefined> {
    if (!STORED_ID.test(fileId) || !(await this.head(tenantId, fileId))) return undefined;
    try {
      return new Uint8Array(await readFile(this.path(tenantId, fileId)));
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async delete(tenantId: string, fileId: string): Promise<void> {
    if (!STORED_ID.test(fileId)) return;
    const path = this.path(tenantId, fileId);
    await rm(`${path}.json`, { force: true });
    await rm(path, { force: true });
  }

  async *listIds(tenantId: string, startAfter?: string): AsyncIterable<string> {
    let names: string[];
    try {
      names = await readdir(join(this.root, tenantSegment(tenantId)));
    } catch (error) {
      if (missing(error)) return;
      throw error;
    }
    const ids = names.filter((n) => n.endsWith('.json') && STORED_ID.test(n.slice(0, -5))).map((n) => n.slice(0, -5)).sort();
    for (const id of ids) if (startAfter === undefined || id > startAfter) yield id;
  }

  private path(tenantId: string, fileId: string): string {
    return join(this.root, tenantSegment(tenantId), fileId);
  }
}
