// Client for Amazon Bedrock's Converse / ConverseStream APIs through the AWS SDK, presenting them
// as OpenAI Chat Completions. The SDK signs requests with the Lambda role's credentials.
import { randomUUID } from 'node:crypto';
import type { BedrockRuntimeClient, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { ProviderError } from '#core/shared/errors.ts';
import type { ProviderFailureKind } from '#core/shared/errors.ts';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '#core/chat/openai-types.ts';
import type { ProviderCallOptions, ProviderClient } from '#core/chat/ports.ts';
import { bedrockSdk, lazyBedrockClient } from './bedrock-sdk.ts';
import { BedrockStreamTranslator, fromConverseOutput, toConverseInput, UntranslatableBedrockRequest } from './bedrock-translate.ts';
import { failureFromFetchError, malformed, upstreamFailure } from './http-failure.ts';
import { redact } from '#core/shared/redact.ts';
import type { FailureContext } from './http-failure.ts';
import { watchStream } from './stream-watchdog.ts';
import { startDeadline } from './upstream-fetch.ts';

export interface BedrockClientOptions {
  providerId: string;
  region: string;
  /** Endpoint override (tests, VPC endpoints). */
  endpoint?: string;
  /** Static credentials; the SDK's default chain (Lambda role, env, profile) when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  timeoutMs?: number;
}

const KIND_BY_NAME: Record<string, ProviderFailureKind> = {
  ThrottlingException: 'rate_limited',
  ServiceQuotaExceededException: 'rate_limited',
  TooManyRequestsException: 'rate_limited',
  ServiceUnavailableException: 'server_error',
  InternalServerException: 'server_error',
  ModelNotReadyException: 'server_error',
  ModelErrorException: 'server_error',
  ModelStreamErrorException: 'server_error',
  AccessDeniedException: 'authentication',
  UnrecognizedClientException: 'authentication',
  ExpiredTokenException: 'authentication',
  ModelTimeoutException: 'timeout',
  ResourceNotFoundException: 'bad_request',
};

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: unknown;
}

/** SDK exception (thrown by send or while iterating a stream) -> ProviderError. */
export function failureFromSdkError(ctx: FailureContext, error: unknown, signal: AbortSignal, phase: 'connect' | 'body'): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const message = e.message ?? name;
  let kind: ProviderFailureKind | undefined = KIND_BY_NAME[name];
  if (name === 'ValidationException') {
    kind = /too long|context|too many (input )?tokens|max(imum)? (input|context)/i.test(message) ? 'context_length' : 'bad_request';
  }
  if (kind === undefined && status !== undefined && status >= 400) {
    kind = status === 429 ? 'rate_limited' : status >= 500 ? 'server_error' : status === 401 || status === 403 ? 'authentication' : 'bad_request';
  }
  // Anything else is transport: refused connection, reset socket, abort by deadline or caller.
  if (kind === undefined) return failureFromFetchError(ctx, error, signal, phase);
  // The SDK's message is the service's text: logs only (detail), never the tenant's error.
  const code = /^[A-Za-z][A-Za-z_]{0,47}$/.test(name) ? name : undefined;
  return upstreamFailure(ctx, kind, status, code, redact(message), { cause: error });
}

const STREAM_EXCEPTIONS = ['internalServerException', 'modelStreamErrorException', 'validationException', 'throttlingException', 'serviceUnavailableException'] as const;

export class BedrockClient implements ProviderClient {
  readonly providerId: string;
  private readonly options: BedrockClientOptions;
  /** Built on the first call: the SDK loads then, not at cold start. */
  private readonly sdk: () => Promise<BedrockRuntimeClient>;

  constructor(options: BedrockClientOptions) {
    this.providerId = options.providerId;
    this.options = options;
    // One attempt: the router owns retries and failover, and needs to see every failure.
    this.sdk = lazyBedrockClient({ region: options.region, endpoint: options.endpoint, credentials: options.credentials, maxAttempts: 1 });
  }

  async chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ChatCompletion> {
    const ctx = this.context(request.model);
    const input = this.translate(ctx, request);
    const deadline = startDeadline(options, this.options.timeoutMs);
    try {
      const { ConverseCommand } = await bedrockSdk();
      const output = await (await this.sdk()).send(new ConverseCommand(input), { abortSignal: deadline.signal });
      const id = `chatcmpl-${output.$metadata.requestId ?? randomUUID()}`;
      const completion = fromConverseOutput(output, id, request.model, Math.floor(Date.now() / 1000));
      if (!completion) throw malformed(ctx, 'Converse answer has no output message');
      return completion;
    } catch (error) {
      throw failureFromSdkError(ctx, error, deadline.signal, 'connect');
    } finally {
      deadline.disarm();
    }
  }

  stream(request: ChatRequest, options?: ProviderCallOptions): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    return watchStream(this.context(request.model), options, (watched) => this.streamChunks(request, watched));
  }

  private async *streamChunks(request: ChatRequest, options: ProviderCallOptions): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const ctx = this.context(request.model);
    const input = this.translate(ctx, request);
    const deadline = startDeadline(options, this.options.timeoutMs);
    let events: AsyncIterable<ConverseStreamOutput> | undefined;
    let requestId: string | undefined;
    try {
      const { ConverseStreamCommand } = await bedrockSdk();
      const output = await (await this.sdk()).send(new ConverseStreamCommand(input), { abortSignal: deadline.signal });
      events = output.stream;
      requestId = output.$metadata.requestId;
    } catch (error) {
      throw failureFromSdkError(ctx, error, deadline.signal, 'connect');
    } finally {
      deadline.disarm(); // the deadline bounds the time to headers only
    }
    if (!events) throw malformed(ctx, 'ConverseStream answer has no event stream');
    const translator = new BedrockStreamTranslator(`chatcmpl-${requestId ?? randomUUID()}`, request.model);
    const iterator = events[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<ConverseStreamOutput>;
        try {
          next = await iterator.next();
        } catch (error) {
          throw failureFromSdkError(ctx, error, deadline.signal, 'body');
        }
        if (next.done) return;
        const exception = STREAM_EXCEPTIONS.find((key) => next.value[key] !== undefined);
        if (exception) {
          const name = exception[0]!.toUpperCase() + exception.slice(1);
          const err = Object.assign(new Error((next.value[exception] as { message?: string }).message ?? name), { name });
          throw failureFromSdkError(ctx, err, deadline.signal, 'body');
        }
        yield* translator.accept(next.value);
      }
    } finally {
      await iterator.return?.();
    }
  }

  private context(modelId: string): FailureContext {
    return { providerId: this.providerId, modelId };
  }

  private translate(ctx: FailureContext, request: ChatRequest): ReturnType<typeof toConverseInput> {
    try {
      return toConverseInput(request);
    } catch (error) {
      const reason = error instanceof UntranslatableBedrockRequest ? error.message : 'request shape not understood';
      throw new ProviderError(`${this.providerId} cannot take this request: ${reason}`, {
        kind: 'bad_request', providerId: ctx.providerId, modelId: ctx.modelId, cause: error,
      });
    }
  }
}
