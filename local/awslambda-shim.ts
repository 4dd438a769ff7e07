// A stand-in for the `awslambda` global that the Lambda Node.js runtime injects for response
// streaming. It writes the same wire format the runtime does (JSON prelude, eight NUL bytes, body),
// so the local runtime and the tests drive the very handlers that run in Lambda.
import { Writable } from 'node:stream';

const DELIMITER = Buffer.alloc(8);
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

export interface HttpResponseMetadata {
  statusCode?: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
}

type StreamingHandler = (event: unknown, responseStream: Writable, context: unknown) => Promise<unknown>;

const shim = {
  streamifyResponse(handler: StreamingHandler): StreamingHandler {
    Object.defineProperty(handler, STREAMING, { value: 'response', enumerable: false });
    return handler;
  },
  HttpResponseStream: {
    from(stream: Writable, metadata: HttpResponseMetadata): Writable {
      stream.write(Buffer.concat([Buffer.from(JSON.stringify(metadata)), DELIMITER]));
      return stream;
    },
  },
};

/**
 * Installs the shim's members unless a real Lambda runtime already provided them. Merges rather than
 * replaces: the AWS SDK's invoke store creates `globalThis.awslambda = {}` for its own use.
 */
export function installAwsLambdaShim(): void {
  const g = globalThis as { awslambda?: Record<string, unknown> };
  g.awslambda ??= {};
  g.awslambda['streamifyResponse'] ??= shim.streamifyResponse;
  g.awslambda['HttpResponseStream'] ??= shim.HttpResponseStream;
}

/**
 * Splits what a streaming handler writes into its metadata prelude and body bytes, the way the Lambda
 * service does before API Gateway sees it. `onPrelude` fires once, before the first body bytes.
 */
export class PreludeParser extends Writable {
  private buffered: Buffer = Buffer.alloc(0);
  private preludeDone = false;
  private readonly onPrelude: (metadata: HttpResponseMetadata) => void;
  private readonly onBody: (chunk: Buffer) => void;
  private readonly onEnd: () => void;

  constructor(handlers: { onPrelude: (m: HttpResponseMetadata) => void; onBody: (c: Buffer) => void; onEnd: () => void }) {
    super();
    this.onPrelude = handlers.onPrelude;
    this.onBody = handlers.onBody;
    this.onEnd = handlers.onEnd;
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.preludeDone) {
      if (bytes.length > 0) this.onBody(bytes);
      done();
      return;
    }
    this.buffered = this.buffered.length === 0 ? bytes : Buffer.concat([this.buffered, bytes]);
    const at = this.buffered.indexOf(DELIMITER);
    if (at === -1) {
      done();
      return;
    }
    this.preludeDone = true;
    try {
      this.onPrelude(JSON.parse(this.buffered.subarray(0, at).toString('utf8')) as HttpResponseMetadata);
    } catch (error) {
      done(new Error('streaming handler wrote an unreadable prelude', { cause: error }));
      return;
    }
    const rest = this.buffered.subarray(at + DELIMITER.length);
    this.buffered = Buffer.alloc(0);
    if (rest.length > 0) this.onBody(rest);
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    if (!this.preludeDone) {
      // A handler that never wrote a prelude: Lambda treats the whole payload as a 200 body.
      this.preludeDone = true;
      this.onPrelude({ statusCode: 200 });
      if (this.buffered.length > 0) this.onBody(this.buffered);
    }
    this.onEnd();
    done();
  }
}
