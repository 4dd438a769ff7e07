// Something a suite starts once and closes after its tests (a stand-in, a server), held by a handle
// the suite's closures can keep: the handle reads the live value, which exists only while the suite runs.
import { afterAll, beforeAll } from 'vitest';

/**
 * Runs `start` before the tests of the calling `describe` block (or file) and `close` after them.
 * The returned object forwards every property read to the started value.
 */
export function useForSuite<T extends object>(start: () => Promise<T>, close: (value: T) => Promise<void>, hookTimeoutMs?: number): T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  }, hookTimeoutMs);
  afterAll(async () => {
    if (value) await close(value);
    value = undefined;
  });
  return liveView(() => {
    if (!value) throw new Error('read outside the tests of the suite that starts it');
    return value;
  });
}

/** An object that forwards every property read to what `read()` returns at that moment. */
export function liveView<T extends object>(read: () => T): T {
  return new Proxy({} as T, {
    get: (_target, key) => {
      const value = read();
      const property: unknown = Reflect.get(value, key);
      // A method runs on the live value itself (class methods may rely on `this`).
      return typeof property === 'function' ? property.bind(value) : property;
    },
  });
}
