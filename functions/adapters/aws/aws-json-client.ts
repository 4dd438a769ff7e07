// A client for AWS's JSON protocols (DynamoDB and SQS speak `application/x-amz-json-1.0`, Secrets
// Manager 1.1): one signed POST per call over a keep-alive connection, with the standard retries.
// It replaces the SDK on the hot path, where the SDK's per-call middleware, endpoint rules and
// serde were most of the router's CPU per request (docs in bench/README.md). No env reads here: the
// handlers' config passes region, endpoint and credentials.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsServiceError, awsServiceErrorFrom } from './aws-service-error.ts';
import { backoffMs, isRetryable, standardRetry } from './retry-policy.ts';
import type { RetryPolicy } from './retry-policy.ts';
import { signRequest } from './sigv4.ts';
import type { AwsCredentials } from './sigv4.ts';

export interface AwsJsonClientOptions {
  /** The signing name: `dynamodb`, `sqs`, `secretsmanager`. */
  readonly service: string;
  readonly region: string;
  /** `https://dynamodb.eu-west-1.amazonaws.com` or a local stand-in's URL. */
  readonly endpoint: string;
  readonly credentials: AwsCredentials;
  /** `DynamoDB_20120810`, `AmazonSQS`, `secretsmanager`: the X-Amz-Target prefix. */
  readonly targetPrefix: string;
  readonly jsonVersion: '1.0' | '1.1';
  readonly retry?: Partial<RetryPolicy>;
  /** Abandons an attempt (and retries it) when no answer came in this time; default 10 s. */
  readonly attemptTimeoutMs?: number;
}

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 50 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 50 }) };

/** The regional endpoint of a service (`cn-` regions are in the `amazonaws.com.cn` partition). */
export function regionalEndpoint(endpointPrefix: string, region: string): string {
  return `https://${endpointPrefix}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** What names one AWS service on its JSON protocol. */
export interface JsonService {
  /** The signing name and endpoint prefix: `dynamodb`, `sqs`, `secretsmanager`. */
  readonly name: string;
  readonly targetPrefix: string;
  readonly jsonVersion: '1.0' | '1.1';
}

/** Where and as whom a service client calls. */
export interface ServiceClientOptions {
  readonly region: string;
  /** Unset: the region's public endpoint. */
  readonly endpoint?: string | undefined;
  readonly credentials: AwsCredentials;
  readonly maxAttempts?: number;
}

/** A client of `service` with the standard retries (or `maxAttempts` of them). */
export function jsonServiceClient(service: JsonService, options: ServiceClientOptions): AwsJsonClient {
  return new AwsJsonClient({
    service: service.name, region: options.region, endpoint: options.endpoint ?? regionalEndpoint(service.name, options.region),
    credentials: options.credentials, targetPrefix: service.targetPrefix, jsonVersion: service.jsonVersion,
    ...(options.maxAttempts ? { retry: { maxAttempts: options.maxAttempts } } : {}),
  });
}

interface Answer { status: number; errorType: string | undefined; text: string }

export class AwsJsonClient {
  readonly #options: AwsJsonClientOptions;
  readonly #url: URL;
  readonly #retry: RetryPolicy;
  readonly #contentType: string;

  constructor(options: AwsJsonClientOptions) {
    this.#options = options;
    this.#url = new URL(options.endpoint);
    this.#retry = { ...standardRetry, ...options.retry };
    this.#contentType = `application/x-amz-json-${options.jsonVersion}`;
  }

  /** Calls `operation` with `input` (a JSON-ready object) and returns the parsed answer. */
  async call<T = Record<string, unknown>>(operation: string, input: unknown): Promise<T> {
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.#post(operation, body);
        if (answer.status >= 200 && answer.status < 300) return (answer.text ? JSON.parse(answer.text) : {}) as T;
        throw awsServiceErrorFrom(answer.status, answer.errorType, answer.text);
      } catch (error) {
        if (attempt >= this.#retry.maxAttempts || !isRetryable(error)) throw error;
        await sleep(backoffMs(this.#retry, attempt));
      }
    }
  }

  #post(operation: string, body: string): Promise<Answer> {
    const url = this.#url;
    const headers = signRequest(
      { host: url.host, path: url.pathname || '/', headers: { 'content-type': this.#contentType, 'x-amz-target': `${this.#options.targetPrefix}.${operation}` }, body },
      this.#options.credentials, this.#options.region, this.#options.service,
    );
    headers['content-length'] = String(Buffer.byteLength(body));
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    return new Promise<Answer>((resolve, reject) => {
      const req = send({
        hostname: url.hostname, port: url.port || (secure ? 443 : 80), path: url.pathname || '/', method: 'POST', headers,
        agent: secure ? agents.https : agents.http, timeout: this.#options.attemptTimeoutMs ?? 10_000,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const errorType = res.headers['x-amzn-errortype'];
          resolve({ status: res.statusCode ?? 0, errorType: Array.isArray(errorType) ? errorType[0] : errorType, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.on('timeout', () => {
        const timeout = new Error(`${this.#options.service} ${operation}: no answer in time`);
        timeout.name = 'TimeoutError';
        req.destroy(timeout);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

export { AwsServiceError };
export type { AwsCredentials };
