// Starts a DynamoDB backend for the tests of one describe block (or file) and closes it after them.
import type { DynamoBackend } from './dynalite-backend.ts';
import { useForSuite } from './use-for-suite.ts';

/** A started backend as a suite sees it: the helper closes it, so no `close` here. */
export type DynamoBackendInUse = Omit<DynamoBackend, 'close'>;

/**
 * Starts a backend before the tests of the calling `describe` block (or file) and closes it after
 * them. `ready` runs once it is up, for what the file builds on it (its tables, the adapter under
 * test). The handle reads the live backend, so it can be used in the block's closures and tests.
 */
export function useDynamoBackend(start: () => Promise<DynamoBackend>, ready?: (backend: DynamoBackendInUse) => void): DynamoBackendInUse {
  return useForSuite(async () => {
    const backend = await start();
    ready?.(backend);
    return backend;
  }, (backend) => backend.close(), 90_000);
}
