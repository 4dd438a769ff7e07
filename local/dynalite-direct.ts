// dynalite's own validation and action for one call, run on its store without its HTTP layer: what the
// front's transactions (dynamodb-transactions.ts) send item by item. The in-process handler
// (dynalite-in-process.ts) serialises each call to JSON and back, draws a random request id, computes
// a CRC32 of the answer and parses a URL and an Authorization header per call; for the cost ledger's
// transactions (one call per record) that is work per record the stand-in need not do. The checks and
// the action are dynalite's own, in the order its handler runs them (index.js: checkTypes,
// checkValidations, then the action), so a call answers as it would over HTTP.
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { DynaliteCall } from './dynamodb-transactions.ts';

const require = createRequire(import.meta.url);
const fromDynalite = createRequire(require.resolve('dynalite'));

/** dynalite's store: opaque here, handed to its actions and validations. */
export type DynaliteStore = object;
export type DynaliteOptions = { createTableMs?: number; deleteTableMs?: number; path?: string };

interface ServiceError extends Error { statusCode?: number; body?: Record<string, unknown> }
interface Validations {
  checkTypes(data: Record<string, unknown>, types: unknown): Record<string, unknown>;
  checkValidations(data: Record<string, unknown>, types: unknown, custom: unknown, store: DynaliteStore): void;
  toLowerFirst(name: string): string;
}
type Action = (store: DynaliteStore, data: Record<string, unknown>, cb: (error: ServiceError | null, out?: Record<string, unknown>) => void) => void;

const dynalite = fromDynalite('./index.js') as (options: DynaliteOptions) => Server;
const db = fromDynalite('./db') as { create(options: DynaliteOptions): DynaliteStore };
const validations = fromDynalite('./validations') as Validations;

/**
 * dynalite's server and the store it serves. dynalite keeps its store inside the server's handler; it
 * makes it with `db.create` when the server is made, so that one call is watched.
 */
export function dynaliteWithStore(options: DynaliteOptions): { server: Server; store: DynaliteStore } {
  const create = db.create;
  let store: DynaliteStore | undefined;
  db.create = (o) => (store = create.call(db, o));
  try {
    const server = dynalite(options);
    if (!store) throw new Error('dynalite made its server without a store');
    return { server, store };
  } finally {
    db.create = create;
  }
}

/** One call on the store, answered as dynalite's handler answers it (status and body; errors carry `__type`). */
export function dynaliteDirect(store: DynaliteStore): DynaliteCall {
  const operations = new Map<string, { types: unknown; custom: unknown; action: Action }>();
  const operation = (name: string): { types: unknown; custom: unknown; action: Action } => {
    let found = operations.get(name);
    if (!found) {
      const file = validations.toLowerFirst(name);
      const { types, custom } = fromDynalite(`./validations/${file}`) as { types: unknown; custom: unknown };
      found = { types, custom, action: fromDynalite(`./actions/${file}`) as Action };
      operations.set(name, found);
    }
    return found;
  };
  return (name, input) => new Promise((resolve, reject) => {
    const { types, custom, action } = operation(name);
    let data: Record<string, unknown>;
    try {
      // checkTypes deletes what it does not know from its argument: a copy, so the caller's input stays whole.
      data = validations.checkTypes({ ...input }, types);
      validations.checkValidations(data, types, custom, store);
    } catch (error) {
      const failure = error as ServiceError;
      if (failure.statusCode && failure.body) resolve({ ok: false, status: failure.statusCode, body: failure.body });
      else reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    action(store, data, (error, out) => {
      if (error?.statusCode && error.body) resolve({ ok: false, status: error.statusCode, body: error.body });
      else if (error) reject(error);
      else resolve({ ok: true, body: out ?? {} });
    });
  });
}
