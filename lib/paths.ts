// Absolute paths inside the repository, independent of the working directory `cdk` runs in.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export function repoPath(relative: string): string {
  return resolve(repoRoot, relative);
}
