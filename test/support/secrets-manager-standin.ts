// A minimal Secrets Manager stand-in speaking the real AWS JSON 1.1 protocol (GetSecretValue and
// PutSecretValue). No Secrets Manager emulator exists on npm; this lets the functions' real client be
// exercised end to end, including a key put into the secret while the functions are running.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsStandIn {
  endpoint: string;
  /** Every request served. */
  requests: number;
  /** GetSecretValue requests served (the functions' reads of the keys). */
  reads: number;
  /** Replaces a secret's value, as `aws secretsmanager put-secret-value` does. */
  put(secretId: string, value: string): void;
  close(): Promise<void>;
}

export async function startSecretsStandIn(initial: Record<string, string>): Promise<SecretsStandIn> {
  const secrets = new Map(Object.entries(initial));
  const versions = new Map<string, number>();
  const state = { requests: 0, reads: 0 };
  const put = (id: string, value: string): number => {
    secrets.set(id, value);
    const version = (versions.get(id) ?? 1) + 1;
    versions.set(id, version);
    return version;
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (part: Buffer) => { body += part.toString('utf8'); });
    req.on('end', () => {
      state.requests += 1;
      const target = req.headers['x-amz-target'];
      const reply = (status: number, payload: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      const { SecretId, SecretString } = JSON.parse(body || '{}') as { SecretId: string; SecretString?: string };
      if (target === 'secretsmanager.PutSecretValue' && secrets.has(SecretId) && SecretString !== undefined) {
        const version = put(SecretId, SecretString);
        reply(200, { ARN: SecretId, Name: SecretId, VersionId: `v${version}`, VersionStages: ['AWSCURRENT'] });
        return;
      }
      if (target !== 'secretsmanager.GetSecretValue' && target !== 'secretsmanager.PutSecretValue') {
        reply(400, { __type: 'InvalidRequestException', message: `unsupported target ${String(target)}` });
        return;
      }
      const value = secrets.get(SecretId);
      if (value === undefined) {
        reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
        return;
      }
      state.reads += 1;
      const version = versions.get(SecretId) ?? 1;
      reply(200, { ARN: SecretId, Name: SecretId, SecretString: value, VersionId: `v${version}`, VersionStages: ['AWSCURRENT'], CreatedDate: 1.7e9 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() { return state.requests; },
    get reads() { return state.reads; },
    put: (id, value) => void put(id, value),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
