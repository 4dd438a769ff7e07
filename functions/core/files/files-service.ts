// The files API's use cases: upload a batch input file (checked line by line before it is stored),
// read its metadata and content, list the tenant's files, delete one. Every call names the tenant, so
// another tenant's file id is answered exactly like an id that never existed (404).
import type { Principal } from '../auth/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidRequestError, NotFoundError, RouterError } from '../shared/errors.ts';
import { parseBatchInput } from './batch-input.ts';
import { FILE_ID_PATTERN } from './file-id.ts';
import { toFileList, toFileObject } from './file-object.ts';
import type { FileDeleted, FileList, FileObject } from './file-object.ts';
import type { FilePurpose, FileStore, StoredFile } from './ports.ts';

export interface FilesServiceDeps {
  files: FileStore;
  clock: Clock;
  /** A new file id for a creation time (see file-id.ts). */
  newFileId(createdAtMs: number): string;
  /** Largest accepted upload, bytes. */
  maxFileBytes: number;
}

export interface Upload {
  filename: string;
  purpose: string;
  content: Uint8Array;
}

export interface ListQuery {
  limit: number;
  order: 'asc' | 'desc';
  after?: string;
  purpose?: string;
}

/** Upload purposes accepted: the files API serves the batch API. */
const UPLOAD_PURPOSES: readonly string[] = ['batch'];

export const fileNotFound = (id: string): NotFoundError => new NotFoundError(`No such File object: ${id}`, 'file_id', 'file_not_found');

export class FilesService {
  private readonly deps: FilesServiceDeps;

  constructor(deps: FilesServiceDeps) {
    this.deps = deps;
  }

  /** Largest accepted upload, bytes. */
  get maxFileBytes(): number {
    return this.deps.maxFileBytes;
  }

  /** POST /v1/files: 400 naming `purpose`, `file` or the bad lines; stores nothing unless all is well. */
  async upload(principal: Principal, upload: Upload): Promise<FileObject> {
    if (!UPLOAD_PURPOSES.includes(upload.purpose)) {
      throw new InvalidRequestError(`Invalid value for 'purpose': '${upload.purpose}'; this router accepts only 'batch'.`, 'purpose', 'invalid_value');
    }
    if (upload.content.byteLength > this.deps.maxFileBytes) {
      throw new RouterError(`The file is ${upload.content.byteLength} bytes; the limit is ${this.deps.maxFileBytes}.`, {
        status: 400, type: 'invalid_request_error', param: 'file', code: 'file_too_large',
      });
    }
    parseBatchInput(upload.content);
    const createdAt = this.deps.clock.now();
    const file: StoredFile = {
      id: this.deps.newFileId(createdAt), tenantId: principal.tenantId, filename: cleanFilename(upload.filename),
      purpose: upload.purpose as FilePurpose, bytes: upload.content.byteLength, createdAt,
    };
    await this.deps.files.put(file, upload.content);
    return toFileObject(file);
  }

  /** GET /v1/files/{id} */
  async retrieve(principal: Principal, fileId: string): Promise<FileObject> {
    return toFileObject(await this.find(principal.tenantId, fileId));
  }

  /** GET /v1/files/{id}/content: the bytes as uploaded (or as the batch wrote them). */
  async content(principal: Principal, fileId: string): Promise<{ file: StoredFile; content: Uint8Array }> {
    const file = await this.find(principal.tenantId, fileId);
    const content = await this.deps.files.read(principal.tenantId, fileId);
    if (!content) throw fileNotFound(fileId);
    return { file, content };
  }

  /** DELETE /v1/files/{id} */
  async delete(principal: Principal, fileId: string): Promise<FileDeleted> {
    await this.find(principal.tenantId, fileId);
    await this.deps.files.delete(principal.tenantId, fileId);
    return { id: fileId, object: 'file', deleted: true };
  }

  /** GET /v1/files?limit&after&order&purpose: newest first by default, in OpenAI's list shape. */
  async list(principal: Principal, query: ListQuery): Promise<FileList> {
    const { files } = this.deps;
    const tenantId = principal.tenantId;
    if (query.after !== undefined && !(await this.exists(tenantId, query.after))) {
      throw new InvalidRequestError(`Invalid value for 'after': no file '${query.after}'.`, 'after', 'invalid_value');
    }
    // Ids sort newest first, so `desc` reads the listing forward from `after`; `asc` reads it all and turns it round.
    const ids: string[] = [];
    if (query.order === 'desc') {
      for await (const id of files.listIds(tenantId, query.after)) ids.push(id);
    } else {
      for await (const id of files.listIds(tenantId)) ids.push(id);
      ids.reverse();
      if (query.after !== undefined) ids.splice(0, ids.indexOf(query.after) + 1);
    }
    const page: StoredFile[] = [];
    let next = 0;
    // Metadata is read a few at a time until the page is full (one more tells whether there is another page).
    while (page.length <= query.limit && next < ids.length) {
      const chunk = ids.slice(next, next + 16);
      next += chunk.length;
      const found = await Promise.all(chunk.map((id) => files.head(tenantId, id)));
      for (const file of found) {
        if (file && (query.purpose === undefined || file.purpose === query.purpose)) page.push(file);
      }
    }
    return toFileList(page.slice(0, query.limit), page.length > query.limit);
  }

  private async exists(tenantId: string, fileId: string): Promise<boolean> {
    return FILE_ID_PATTERN.test(fileId) && (await this.deps.files.head(tenantId, fileId)) !== undefined;
  }

  private async find(tenantId: string, fileId: string): Promise<StoredFile> {
    if (!FILE_ID_PATTERN.test(fileId)) throw fileNotFound(fileId);
    const file = await this.deps.files.head(tenantId, fileId);
    if (!file) throw fileNotFound(fileId);
    return file;
  }
}

/** The name as shown back: no path, no control characters, at most 255 characters. */
function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255);
  return clean || 'upload.jsonl';
}
