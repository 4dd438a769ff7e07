// An AWS service's error answer: `name` is the service's error code (the part of `__type` after
// `#`), so adapters test `error.name === 'ConditionalCheckFailedException'` as they did with the SDK.
// The answer's other fields (DynamoDB's `CancellationReasons`, `Item`) are kept on the error.

export class AwsServiceError extends Error {
  readonly statusCode: number;
  readonly $fault: 'client' | 'server';
  /** Every field of the error's JSON body (e.g. `CancellationReasons`). */
  readonly [field: string]: unknown;

  constructor(name: string, message: string, statusCode: number, fields: Record<string, unknown> = {}) {
    super(message || name);
    Object.assign(this, fields);
    this.name = name;
    this.statusCode = statusCode;
    this.$fault = statusCode >= 500 ? 'server' : 'client';
  }
}

/** The error code of a JSON-protocol error answer: the header wins, then the body's `__type`/`code`. */
export function errorCodeOf(headerValue: string | undefined, body: Record<string, unknown>): string | undefined {
  const raw = headerValue ?? (typeof body['__type'] === 'string' ? body['__type'] : typeof body['code'] === 'string' ? body['code'] : undefined);
  if (!raw) return undefined;
  // `ConditionalCheckFailedException:http://internal.amazon.com/...` in the header; `ns#Code` in the body.
  const withoutUrl = raw.split(':')[0]!;
  return withoutUrl.slice(withoutUrl.lastIndexOf('#') + 1);
}

export function awsServiceErrorFrom(statusCode: number, headerValue: string | undefined, text: string): AwsServiceError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch { /* not JSON: the status names it */ }
  const name = errorCodeOf(headerValue, body) ?? (statusCode >= 500 ? 'InternalServerError' : `Http${statusCode}Error`);
  const message = typeof body['message'] === 'string' ? body['message'] : typeof body['Message'] === 'string' ? body['Message'] : '';
  const { __type: _type, message: _m, Message: _M, ...fields } = body;
  return new AwsServiceError(name, message, statusCode, fields);
}
