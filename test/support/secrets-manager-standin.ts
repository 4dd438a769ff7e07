// A minimal Secrets Manager stand-in speaking the real AWS JSON 1.1 protocol (GetSecretValue only).
// No Secrets Manager emulator exists on npm; this lets the real SDK client be exercised end to end.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsStandIn {
  endpoint: string;
  requests: number;
  close(): Promise<void>;
}

export async function startSecretsStandIn(secrets: Record<string, string>): Promise<SecretsStandIn> {
  const state = { requests: 0 };
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
      if (target !== 'secretsmanager.GetSecretValue') {
        reply(400, { __type: 'InvalidRequestException', message: `unsupported target ${String(target)}` });
        return;
      }
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      const value = secrets[SecretId];
      if (value === undefined) {
        reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
        return;
      }
      reply(200, { ARN: SecretId, Name: SecretId, SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 1.7e9 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() { return state.requests; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
