// The Bedrock runtime SDK, loaded at the first Bedrock call rather than at cold start: chat traffic
// to other providers never pays for it (the bundler keeps it in the bundle but evaluates it lazily).
import type { BedrockRuntimeClient, BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';

type BedrockSdk = typeof import('@aws-sdk/client-bedrock-runtime');

let sdk: Promise<BedrockSdk> | undefined;

/** The SDK module, imported once per process. */
export function bedrockSdk(): Promise<BedrockSdk> {
  sdk ??= import('@aws-sdk/client-bedrock-runtime');
  return sdk;
}

/** A client built at its first use. */
export function lazyBedrockClient(config: BedrockRuntimeClientConfig): () => Promise<BedrockRuntimeClient> {
  let client: Promise<BedrockRuntimeClient> | undefined;
  return () => {
    client ??= bedrockSdk().then((m) => new m.BedrockRuntimeClient(config));
    return client;
  };
}
