// A stand-in of the Lambda Node runtime's log handling with LoggingConfig.LogFormat JSON, as the
// runtime interface client does it (src/logging: console methods are patched at start-up; each call
// becomes one line {"timestamp","level","requestId","message"} written to stdout, where `message`
// is the single argument as is, or util.format of several). CloudWatch only extracts metrics from a
// line that is itself an EMF document, so a metric written with console.log is lost under this format.
// Everything the process writes to stdout/stderr is captured (and not echoed) until `restore()`.
import { format } from 'node:util';

export interface JsonLogCapture {
  /** Every complete line written to stdout, in order. */
  readonly stdout: string[];
  /** Every complete line written to stderr, in order. */
  readonly stderr: string[];
  /** The request id the stand-in puts into wrapped lines. */
  requestId: string;
  restore(): void;
}

const LEVELS = { log: 'INFO', info: 'INFO', debug: 'DEBUG', warn: 'WARN', error: 'ERROR', trace: 'TRACE' } as const;

export function installLambdaJsonLogs(): JsonLogCapture {
  const undo: Array<() => void> = [];
  const capture: JsonLogCapture = {
    stdout: [],
    stderr: [],
    requestId: '00000000-0000-4000-8000-000000000000',
    restore: () => { for (const step of undo.reverse()) step(); },
  };
  for (const [stream, lines] of [[process.stdout, capture.stdout], [process.stderr, capture.stderr]] as const) {
    const original = stream.write;
    let pending = '';
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts.filter((line) => line !== ''));
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
    undo.push(() => { stream.write = original; });
  }
  for (const [method, level] of Object.entries(LEVELS) as Array<[keyof typeof LEVELS, string]>) {
    const original = console[method];
    console[method] = (...params: unknown[]) => {
      const line: Record<string, unknown> = { timestamp: new Date().toISOString(), level, requestId: capture.requestId };
      line['message'] = params.length === 1 ? params[0] : format(...params);
      let text: string;
      try {
        text = JSON.stringify(line);
      } catch {
        text = JSON.stringify({ ...line, message: format(line['message']) });
      }
      process.stdout.write(`${text}\n`);
    };
    undo.push(() => { console[method] = original; });
  }
  return capture;
}

/** Top-level EMF documents among `lines` (lines that are not JSON are skipped). */
export function metricDocuments(lines: readonly string[]): Array<Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> } }> {
  return lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      return parsed && typeof parsed === 'object' && '_aws' in parsed ? [parsed as never] : [];
    } catch {
      return [];
    }
  });
}

/** Lines whose wrapped `message` is an EMF document: metrics the runtime's JSON format would lose. */
export function wrappedMetricLines(lines: readonly string[]): string[] {
  return lines.filter((line) => {
    try {
      const parsed = JSON.parse(line) as { message?: unknown };
      const message = parsed.message;
      return (typeof message === 'string' && message.includes('"_aws"')) || (typeof message === 'object' && message !== null && '_aws' in message);
    } catch {
      return false;
    }
  });
}
