// Work done once per Lambda instance (at the first invocation) and reused by every later one.

/** Memoises `build`; a failed start is forgotten, so the next invocation tries again. */
export function coldStart<T>(build: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | undefined;
  return () => {
    started ??= build().catch((error: unknown) => {
      started = undefined;
      throw error;
    });
    return started;
  };
}
