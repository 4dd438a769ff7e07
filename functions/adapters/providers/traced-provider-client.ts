// A ProviderClient that records every call (one failover attempt) as an X-Ray subsegment named after
// the provider, annotated with the provider, the upstream model, stream or not, and the outcome (`ok`
// or the failure kind, with the upstream status). A stream's subsegment lasts until the stream ends.
import type { ProviderCallOptions, ProviderClient } from '#core/chat/ports.ts';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '#core/chat/openai-types.ts';
import { ProviderError } from '#core/shared/errors.ts';
import type { SpanTracer, TraceSpan } from '../tracing/tracer.ts';

function open(spans: SpanTracer, providerId: string, request: ChatRequest, stream: boolean): TraceSpan | undefined {
  const span = spans.start(`provider ${providerId}`);
  span?.annotate('provider', providerId);
  span?.annotate('model', request.model);
  span?.annotate('stream', stream);
  return span;
}

function failed(span: TraceSpan | undefined, error: unknown): void {
  if (!span) return;
  span.annotate('outcome', error instanceof ProviderError ? error.kind : 'error');
  if (error instanceof ProviderError && error.upstreamStatus !== undefined) span.annotate('upstream_status', error.upstreamStatus);
  span.fail(error);
}

export function tracedProviderClient(client: ProviderClient, spans: SpanTracer): ProviderClient {
  return {
    providerId: client.providerId,
    async chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ChatCompletion> {
      const span = open(spans, client.providerId, request, false);
      try {
        const answer = await client.chat(request, options);
        span?.annotate('outcome', 'ok');
        return answer;
      } catch (error) {
        failed(span, error);
        throw error;
      } finally {
        span?.end();
      }
    },
    async *stream(request: ChatRequest, options?: ProviderCallOptions): AsyncIterable<ChatCompletionChunk> {
      const span = open(spans, client.providerId, request, true);
      let complete = false;
      try {
        yield* client.stream(request, options);
        complete = true;
        span?.annotate('outcome', 'ok');
      } catch (error) {
        failed(span, error);
        throw error;
      } finally {
        // The consumer stopped reading (a failover decision or a client gone): neither ok nor failed.
        if (!complete) span?.annotate('outcome', 'abandoned');
        span?.end();
      }
    },
  };
}
