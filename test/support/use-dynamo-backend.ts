// Starts a DynamoDB backend for the tests of one describe block (or file) and closes it after them.
import { afterAll, beforeAll } from 'vitest';
import type { DynamoBackend } from './dynalite-backend.ts';

/** A started backend as a suite sees it: the helper closes it, so no `close` here. */
export type DynamoBackendInUse = Omit<DynamoBackend, 'close'>;

/**
 * Starts a backend before the tests of the calling `describe` block (or file) and closes it after
 * them. `ready` runs once it is up, for what the file builds on it (its tables, the adapter under
 * test). The handle reads the live backend, so it can be used in the block's closures and tests.
 */
export function useDynamoBackend(start: () => Promise<DynamoBackend>, ready?: (backend: DynamoBackendInUse) => void): DynamoBackendInUse {
  let backend: DynamoBackend | undefined;
  beforeAll(async () => {
    backend = await start();
    ready?.(backend);
  }, 90_000);
  afterAll(async () => {
    await backend?.close();
    backend = undefined;
  });
  const live = (): DynamoBackend => {
    if (!backend) throw new Error('the DynamoDB backend is only up during its suite\'s tests');
    return backend;
  };
  return {
    get endpoint() { return live().endpoint; },
    get tableNames() { return live().tableNames; },
    get documents() { return live().documents; },
    get store() { return live().store; },
  };
}
