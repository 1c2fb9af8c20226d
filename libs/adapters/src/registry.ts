import { ClientConfig, DeskConfig } from './config/desk-config';
import { DocsClient } from './docs/docs-client';
import { IdentityClient } from './identity/identity-client';
import { PsaClient } from './psa/psa-client';
import { RmmClient } from './rmm/rmm-client';
import { createPsaClient } from './psa/create-psa-client';
import { createDocsClient } from './docs/create-docs-client';
import { createRmmClient } from './rmm/create-rmm-client';
import { createIdentityClient } from './identity/create-identity-client';
import { createNotifier, Notifier } from './notify/create-notifier';
import { VendorCallObserver } from './observe';

export class UnknownClientError extends Error {
  constructor(readonly identifier: string) {
    super(`unknown MSP client: ${identifier}`);
  }
}

/**
 * Builds (once) and hands out the adapter for each MSP client, as the desk configuration says.
 * Switching a client from one PSA to another is a configuration change only.
 */
export class AdapterRegistry {
  private readonly cache = new Map<string, unknown>();

  constructor(
    readonly config: DeskConfig,
    private readonly observe?: VendorCallObserver,
  ) {}

  clients(): ClientConfig[] {
    return this.config.clients;
  }

  client(identifier: string): ClientConfig {
    const c = this.config.clients.find((x) => x.identifier.toLowerCase() === identifier.toLowerCase());
    if (!c) throw new UnknownClientError(identifier);
    return c;
  }

  findClient(identifier: string): ClientConfig | null {
    return this.config.clients.find((x) => x.identifier.toLowerCase() === identifier.toLowerCase()) ?? null;
  }

  /** The client whose mail / UPN domain this address belongs to. */
  clientByEmail(email: string): ClientConfig | null {
    const domain = email.split('@')[1]?.toLowerCase().trim();
    if (!domain) return null;
    return this.config.clients.find((c) => c.domains.some((d) => d.toLowerCase() === domain)) ?? null;
  }

  psa(identifier: string): PsaClient {
    return this.memo(`psa:${identifier}`, () => createPsaClient(this.client(identifier).psa, this.observe));
  }

  /** Documents of a client, or the MSP-wide (global) scope when `identifier` is null. */
  docs(identifier: string | null): DocsClient {
    const conn = identifier === null ? this.config.msp.docs : this.client(identifier).docs;
    return this.memo(`docs:${identifier ?? '*global*'}`, () => createDocsClient(conn, identifier, this.observe));
  }

  rmm(identifier: string): RmmClient {
    return this.memo(`rmm:${identifier}`, () => createRmmClient(this.client(identifier).rmm, identifier, this.observe));
  }

  identity(identifier: string): IdentityClient {
    return this.memo(`identity:${identifier}`, () => createIdentityClient(this.client(identifier).identity, this.observe));
  }

  /** Delivery for one client (or the MSP itself when null): codes, approvals, pages. */
  notifier(identifier: string | null): Notifier {
    const conn = identifier === null ? this.config.msp.notify : this.client(identifier).notify;
    return this.memo(`notify:${identifier ?? '*msp*'}`, () => createNotifier(conn, this.observe));
  }

  private memo<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }
}
