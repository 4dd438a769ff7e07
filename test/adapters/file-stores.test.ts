// The FileStore contract, run against every adapter: process memory, a folder (the local data
// directory) and S3. S3 runs for real over the wire against fauxqs's S3 emulator (PutObject,
// HeadObject, GetObject, DeleteObject, ListObjectsV2), path-style through AWS_ENDPOINT_URL_S3, as
// the router's files runtime configures it; no SDK call is mocked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryFileStore } from '#adapters/files/directory-file-store.ts';
import { MemoryFileStore } from '#adapters/files/memory-file-store.ts';
import { S3FileStore } from '#adapters/files/s3-file-store.ts';
import { fileIdAt } from '#core/files/file-id.ts';
import type { FileStore, StoredFile } from '#core/files/ports.ts';

let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let folder: string;
const saved: Record<string, string | undefined> = {};
const S3_ENV = { AWS_ENDPOINT_URL_S3: '', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
const stores: Record<string, () => FileStore> = {};

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  for (const [name, value] of Object.entries({ ...S3_ENV, AWS_ENDPOINT_URL_S3: fauxqs.address })) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  const admin = new S3Client({ forcePathStyle: true });
  await admin.send(new CreateBucketCommand({ Bucket: 'files' }));
  admin.destroy();
  folder = mkdtempSync(join(tmpdir(), 'file-store-'));
  stores['memory'] = () => new MemoryFileStore();
  stores['directory'] = () => new DirectoryFileStore(folder);
  // The client is built from the environment (endpoint, region, credentials), as in the router.
  stores['s3'] = () => new S3FileStore({ bucket: 'files', forcePathStyle: true });
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await fauxqs?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

let sequence = 0;
/** A file of `tenantId`, created `ageMs` before a fixed instant (older files sort later). */
function file(tenantId: string, ageMs: number, overrides: Partial<StoredFile> = {}): StoredFile {
  sequence += 1;
  const createdAt = 1_900_000_000_000 - ageMs;
  return { id: fileIdAt(createdAt, `seq${sequence}`), tenantId, filename: 'in.jsonl', purpose: 'batch', bytes: 3, createdAt, ...overrides };
}

async function ids(store: FileStore, tenantId: string, after?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const id of store.listIds(tenantId, after)) out.push(id);
  return out;
}

describe.each(['memory', 'directory', 's3'])('%s FileStore', (kind) => {
  const store = () => stores[kind]!();
  const tenant = (name: string) => `${kind}-${name}`;

  it('stores content and metadata and reads both back exactly', async () => {
    const s = store();
    const content = new TextEncoder().encode('{"a":1}\n{"b":"ünï"}\n');
    const stored = file(tenant('t1'), 0, { filename: 'données d’entrée.jsonl', bytes: content.byteLength });
    await s.put(stored, content);
    expect(await s.head(stored.tenantId, stored.id)).toEqual(stored);
    expect(Buffer.from((await s.read(stored.tenantId, stored.id))!).toString()).toBe('{"a":1}\n{"b":"ünï"}\n');
  });

  it('scopes every call by tenant: another tenant (even one whose id is a prefix) sees nothing', async () => {
    const s = store();
    const mine = file(tenant('ab'), 0);
    await s.put(mine, new Uint8Array([1, 2, 3]));
    for (const other of [tenant('a'), tenant('abc'), `${tenant('ab')}/..`, '..']) {
      expect(await s.head(other, mine.id)).toBeUndefined();
      expect(await s.read(other, mine.id)).toBeUndefined();
      expect(await ids(s, other)).not.toContain(mine.id);
      await s.delete(other, mine.id);
    }
    expect(await s.head(mine.tenantId, mine.id)).toBeDefined();
  });

  it('keeps tenants whose ids hold slashes, dots and spaces apart and addressable', async () => {
    const s = store();
    const odd = file('a/../b c', 0);
    await s.put(odd, new Uint8Array([7]));
    expect(await ids(s, 'a/../b c')).toEqual([odd.id]);
    expect(await ids(s, 'b c')).toEqual([]);
    expect(await s.read('a/../b c', odd.id)).toEqual(new Uint8Array([7]));
  });

  it('lists ids newest first and starts after a given id', async () => {
    const s = store();
    const t = tenant('list');
    const files = [file(t, 3000), file(t, 1000), file(t, 2000)];
    for (const f of files) await s.put(f, new Uint8Array([0]));
    const newestFirst = [files[1]!.id, files[2]!.id, files[0]!.id];
    expect(await ids(s, t)).toEqual(newestFirst);
    expect(await ids(s, t, newestFirst[0])).toEqual(newestFirst.slice(1));
    expect(await ids(s, t, newestFirst[2])).toEqual([]);
  });

  it('deletes a file (and deleting it again is no error)', async () => {
    const s = store();
    const f = file(tenant('del'), 0);
    await s.put(f, new Uint8Array([1]));
    await s.delete(f.tenantId, f.id);
    await s.delete(f.tenantId, f.id);
    expect(await s.head(f.tenantId, f.id)).toBeUndefined();
    expect(await s.read(f.tenantId, f.id)).toBeUndefined();
    expect(await ids(s, f.tenantId)).toEqual([]);
  });

  it('never looks up an id that is not a file id', async () => {
    const s = store();
    for (const id of ['../x', 'file-../../etc', '', 'file-ABC']) {
      expect(await s.head(tenant('t'), id)).toBeUndefined();
      expect(await s.read(tenant('t'), id)).toBeUndefined();
    }
  });

  it('lists past one listing page (S3 returns at most 1000 keys per ListObjectsV2 call)', async () => {
    const s = store();
    const t = tenant('many');
    const files = Array.from({ length: 1005 }, (_, i) => file(t, i));
    for (let i = 0; i < files.length; i += 50) await Promise.all(files.slice(i, i + 50).map((f) => s.put(f, new Uint8Array([1]))));
    const listed = await ids(s, t);
    expect(listed).toHaveLength(1005);
    expect(listed).toEqual(files.map((f) => f.id));
    expect(await ids(s, t, files[999]!.id)).toEqual(files.slice(1000).map((f) => f.id));
  }, 60_000);
});
