// AWS Signature Version 4 for the JSON-protocol POSTs of aws-json-client.ts (path `/`, no query), with
// node:crypto. The signing key depends only on the secret, the day, the region and the service, so it
// is derived once per day instead of four HMACs per request.
import { createHash, createHmac, createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface SignableRequest {
  readonly host: string;
  readonly path: string;
  /** Header names in lower case; every one given is signed. */
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array;
}

// Kept as a KeyObject: an HMAC over a raw Buffer key costs ~7x more CPU in Node 24 (the key is
// imported anew each time).
const keyCache = new Map<string, KeyObject>();

function signingKey(secret: string, day: string, region: string, service: string): KeyObject {
  const id = `${secret}\n${day}\n${region}\n${service}`;
  let key = keyCache.get(id);
  if (!key) {
    const kDate = createHmac('sha256', `AWS4${secret}`).update(day).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update(service).digest();
    key = createSecretKey(createHmac('sha256', kService).update('aws4_request').digest());
    if (keyCache.size > 16) keyCache.clear();
    keyCache.set(id, key);
  }
  return key;
}

/** `20261130T151200Z`: the X-Amz-Date form of a time. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Adds `host`, `x-amz-date`, `x-amz-security-token` (with a session token) and `authorization` to
 * the request's headers and returns them.
 */
export function signRequest(request: SignableRequest, credentials: AwsCredentials, region: string, service: string, now: Date = new Date()): Record<string, string> {
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const headers: Record<string, string> = { ...request.headers, host: request.host, 'x-amz-date': date };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(headers).map((n) => n.toLowerCase()).sort();
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value.trim().replace(/\s+/g, ' ');
  const signedHeaders = names.join(';');
  const canonical = [
    'POST',
    request.path,
    '',
    names.map((n) => `${n}:${lower[n]}`).join('\n') + '\n',
    signedHeaders,
    createHash('sha256').update(request.body).digest('hex'),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${date}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, day, region, service)).update(toSign).digest('hex');
  headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
