// The process-wide Powertools Tracer and a narrow view of it for adapters: open a subsegment, annotate
// it, record a failure, close it. Outside Lambda (tests, the local runtime) the Tracer is disabled and
// `start` returns undefined, so tracing costs nothing there. The Tracer and the X-Ray SDK under it
// (a tenth of the router bundle) are loaded by `loadTracer()` at the runtime's build (the first
// request), not when the handler module is imported.
import type { Tracer } from '@aws-lambda-powertools/tracer';

let loaded: Tracer | undefined;
let loading: Promise<Tracer | undefined> | undefined;

/**
 * Loads the Tracer once (the runtime's build awaits it, so no call goes untraced); spans start once
 * it resolved. The Tracer itself decides from the Lambda environment whether it traces. Never rejects.
 */
export function loadTracer(possible = true): Promise<Tracer | undefined> {
  // Where tracing cannot be on (outside Lambda), the X-Ray SDK and its async hook stay unloaded.
  if (!possible) return Promise.resolve(undefined);
  loading ??= import('@aws-lambda-powertools/tracer')
    .then((m) => (loaded = new m.Tracer({ serviceName: 'llm-router' })), () => undefined);
  return loading;
}

/** One open subsegment. Annotations are indexed by X-Ray (searchable in trace filters). */
export interface TraceSpan {
  annotate(key: string, value: string | number | boolean): void;
  fail(error: unknown): void;
  end(): void;
}

export interface SpanTracer {
  /** A subsegment of the current segment, or undefined when tracing is off. */
  start(name: string): TraceSpan | undefined;
}

/**
 * SpanTracer over a Powertools Tracer (the process-wide one once `loadTracer()` resolved). The current
 * segment is left alone, so concurrent spans never nest by accident.
 */
export function powertoolsSpans(given?: Tracer): SpanTracer {
  return {
    start(name) {
      const source = given ?? loaded;
      if (!source?.isTracingEnabled()) return undefined;
      const parent = source.getSegment();
      if (!parent) return undefined;
      const sub = parent.addNewSubsegment(name);
      return {
        annotate: (key, value) => sub.addAnnotation(key, value),
        fail: (error) => sub.addError(error instanceof Error ? error : new Error(String(error)), true),
        end: () => sub.close(),
      };
    },
  };
}
