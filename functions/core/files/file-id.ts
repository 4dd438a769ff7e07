// File ids: `file-` + 22 lowercase letters and digits, like OpenAI's. The first 9 characters are the
// creation time inverted (base 36), so ids sort newest first: a store lists a tenant's files in
// OpenAI's default order (`desc`) with a plain key listing, and `after` is a start-after key.
import { createHash } from 'node:crypto';

const TIME_CHARS = 9;
/** 36^9 ms is about 3,200 years: every creation time fits. */
const TIME_CEILING = 36 ** TIME_CHARS - 1;
const RANDOM_CHARS = 13;

/** The file id for a creation time and a random (or derived) suffix of at least 13 base-36 characters. */
export function fileIdAt(createdAtMs: number, suffix: string): string {
  const inverted = (TIME_CEILING - Math.floor(createdAtMs)).toString(36).padStart(TIME_CHARS, '0');
  return `file-${inverted}${suffix.toLowerCase().replace(/[^0-9a-z]/g, '').padEnd(RANDOM_CHARS, '0').slice(0, RANDOM_CHARS)}`;
}

/** A deterministic id (the same inputs always give the same id): result files of a job written twice stay one file. */
export function derivedFileId(createdAtMs: number, seed: string): string {
  const digest = BigInt(`0x${createHash('sha256').update(seed).digest('hex').slice(0, 20)}`).toString(36);
  return fileIdAt(createdAtMs, digest);
}

/** Shape of a file id; anything else cannot name a file (404 without a lookup). */
export const FILE_ID_PATTERN = /^file-[0-9a-z]{22}$/;
