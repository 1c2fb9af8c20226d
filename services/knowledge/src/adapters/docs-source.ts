import { DocsClient } from '@desk/adapters';

/** One scope to sync: a client's docs system, or the MSP-wide (global) one. */
export interface DocsSource {
  /** `client:<identifier>` or `global`; the key of the sync cursor and of the documents. */
  scopeKey: string;
  clientIdentifier: string | null;
  system: string;
  client: DocsClient;
}

export function scopeKeyOf(clientIdentifier: string | null): string {
  return clientIdentifier === null ? 'global' : `client:${clientIdentifier}`;
}
