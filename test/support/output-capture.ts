// Everything a test's process writes to stdout, stderr and the console, for tests that check logs
// for leaks; the writes still go through.

/** Starts capturing into `captured`; returns the function that puts the originals back. */
export function captureOutput(captured: string[]): () => void {
  const restore: Array<() => void> = [];
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => { stream.write = original as typeof stream.write; });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a, Object.getOwnPropertyNames(a ?? {})))).join(' '));
      original(...args);
    };
    restore.push(() => { console[method] = original; });
  }
  return () => { for (const undo of restore.reverse()) undo(); };
}
