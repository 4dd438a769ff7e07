// dynalite 4 reads its tables through streams built on abstract-level iterators and, when such a
// stream ends or is destroyed (a Query that stopped at its Limit, a Scan page, ListTables), frees the
// iterator with `iterator.return()`. abstract-level 3 iterators have no `return()` (their method is
// `close()`), so dynalite's check `if (iterator.return)` skips it and every read leaves its iterator
// open: attached to the database for as long as it stays open, and with LevelDB holding a native
// iterator and its snapshot (pinned memtables and blocks), or with memory-level the tree version it
// read. Under the soak that was ~8.6 KB of resident memory per request (bench/dynalite-iterators.ts).
//
// Giving the iterators the `return()` dynalite expects closes each one when its stream is done. Both
// of dynalite's backends (classic-level on disk, memory-level in memory) build on abstract-level; the
// copies they resolve are patched, whichever they are. A dynalite that calls close() itself is
// unaffected (the method is only added where it is missing).
import { createRequire } from 'node:module';

interface IteratorPrototype { close(): Promise<void>; return?: () => Promise<IteratorResult<never>> }

const patched = new WeakSet<object>();

interface AbstractLevelModule { AbstractIterator: { prototype: object }; AbstractLevel: { prototype: object } }

/** The abstract-level copies dynalite's two backends load (usually one and the same). */
function abstractLevels(): AbstractLevelModule[] {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const backends = [
    createRequire(createRequire(fromDynalite.resolve('level')).resolve('classic-level')),
    createRequire(fromDynalite.resolve('memory-level')),
  ];
  return [...new Set(backends.map((backend) => backend('abstract-level') as AbstractLevelModule))];
}

/** The prototype abstract-level's key, value and entry iterators share. */
function iteratorPrototypes(): object[] {
  return abstractLevels().map((module) => Object.getPrototypeOf(module.AbstractIterator.prototype) as object);
}

/** Idempotent: adds `return()` (close, then done) to abstract-level iterators that lack it. */
export function closeLevelIteratorsOnReturn(): void {
  for (const prototype of iteratorPrototypes()) {
    if (patched.has(prototype)) continue;
    patched.add(prototype);
    const iterator = prototype as IteratorPrototype;
    if (typeof iterator.return === 'function' || typeof iterator.close !== 'function') continue;
    Object.defineProperty(prototype, 'return', {
      configurable: true,
      writable: true,
      value: async function (this: IteratorPrototype): Promise<IteratorResult<never>> {
        await this.close();
        return { done: true, value: undefined };
      },
    });
  }
}

/**
 * For tests and benchmarks: counts abstract-level iterators opened and not yet closed, from now on,
 * across dynalite's backends (iterators attach themselves to their database until closed).
 */
export function trackOpenLevelIterators(): { open(): number; stop(): void } {
  let open = 0;
  const restores: Array<() => void> = [];
  for (const { AbstractLevel: { prototype } } of abstractLevels()) {
    const level = prototype as { attachResource(resource: object): void; detachResource(resource: object): void };
    const { attachResource, detachResource } = level;
    const isIterator = (resource: object): boolean => typeof (resource as { next?: unknown }).next === 'function';
    level.attachResource = function (this: unknown, resource: object): void {
      attachResource.call(this, resource);
      if (isIterator(resource)) open += 1;
    };
    level.detachResource = function (this: unknown, resource: object): void {
      detachResource.call(this, resource);
      if (isIterator(resource)) open -= 1;
    };
    restores.push(() => Object.assign(level, { attachResource, detachResource }));
  }
  return { open: () => open, stop: () => { for (const restore of restores) restore(); } };
}
