// Shared by the commands: output through an `Io` (tests capture it), and a main wrapper that prints
// any failure as one line (never a stack trace, never request data) and sets the exit code:
// 2 for a mistake in the command line, 1 for anything else.
import { UsageError } from './command.ts';

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

const firstLine = (text: string): string => text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';

/** The one line a user sees for a failure; AWS SDK and network errors get a hint at the usual cause. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `error: ${firstLine(String(error))}`;
  if (error instanceof UsageError) return `error: ${firstLine(error.message)} (see: ${error.invocation} --help)`;
  const { name, message } = error;
  const code = (error as { code?: string }).code ?? ((error.cause as { code?: string } | undefined)?.code);
  if (code === 'ECONNREFUSED') {
    const address = /connect ECONNREFUSED (\S+)/.exec(message)?.[1] ?? 'the endpoint';
    return `error: nothing answers at ${address}; is \`npm start\` still running? (start it, or pass --endpoint)`;
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/.test(message)) {
    return 'error: no AWS credentials found; configure them (aws configure, AWS_PROFILE) or add --local to use the local runtime';
  }
  if (name === 'ResourceNotFoundException') {
    return `error: AWS says the resource does not exist (${firstLine(message)}); check the table name and AWS_REGION`;
  }
  if (['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'AccessDeniedException'].includes(name)) {
    return `error: AWS refused the request (${name}): ${firstLine(message)}`;
  }
  return `error: ${firstLine(message) || name}`;
}

export function runMain(main: (io: Io) => Promise<void>): void {
  main(consoleIo).catch((error: unknown) => {
    consoleIo.err(describeError(error));
    process.exitCode = error instanceof UsageError ? 2 : 1;
  });
}
