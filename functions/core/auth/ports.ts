// Ports of the auth feature: who is calling, and the store that knows their keys.

/** An authenticated caller. */
export interface Principal {
  tenantId: string;
  keyId: string;
}

export interface KeyStore {
  /** Resolves a presented API key to its tenant, or undefined when the key is unknown or revoked. */
  authenticate(apiKey: string): Promise<Principal | undefined>;
}
