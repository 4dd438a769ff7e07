// Shared by the commands: output through an `Io` (tests capture it), and a main wrapper that prints
// the error message (never a stack with request data) and sets the exit code.
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const consoleIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** An Io that keeps everything written, for tests. */
export function capturingIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}

export function runMain(main: (io: Io) => Promise<void>): void {
  main(consoleIo).catch((error: unknown) => {
    consoleIo.err(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
