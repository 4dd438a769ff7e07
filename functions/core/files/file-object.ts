// What the files API returns, in OpenAI's shapes: the file object, the list page and the deletion.
import type { FilePurpose, StoredFile } from './ports.ts';

export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: FilePurpose;
  /** Files are checked on upload, so a stored file is always processed. */
  status: 'processed';
  status_details: null;
}

export interface FileList {
  object: 'list';
  data: FileObject[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface FileDeleted {
  id: string;
  object: 'file';
  deleted: true;
}

export function toFileObject(file: StoredFile): FileObject {
  return {
    id: file.id, object: 'file', bytes: file.bytes, created_at: Math.floor(file.createdAt / 1000),
    filename: file.filename, purpose: file.purpose, status: 'processed', status_details: null,
  };
}

export function toFileList(files: readonly StoredFile[], hasMore: boolean): FileList {
  const data = files.map(toFileObject);
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore };
}
