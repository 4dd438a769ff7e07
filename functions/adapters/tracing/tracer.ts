// The process-wide Powertools Tracer and a narrow view of it for adapters: open a subsegment, annotate
// it, record a failure, close it. Outside Lambda (tests, the local runtime) the Tracer is disabled and
// `start` returns undefined, so tracing costs nothing there.
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({ serviceName: 'llm-router' });

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

/** SpanTracer over a Powertools Tracer. The current segment is left alone, so concurrent spans never nest by accident. */
export function powertoolsSpans(source: Tracer = tracer): SpanTracer {
  return {
    start(name) {
      if (!source.isTracingEnabled()) return undefined;
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
