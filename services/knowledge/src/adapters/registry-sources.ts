import { AdapterRegistry, DocsClient, DocsDocument } from '@desk/adapters';
import { DocsSource, scopeKeyOf } from './docs-source';

/** A docs client that could not be built: every use fails, so the scope's sync is reported as failed. */
class UnavailableDocsClient implements DocsClient {
  constructor(readonly system: DocsClient['system'], private readonly reason: string) {}

  // eslint-disable-next-line require-yield
  async *listDocuments(): AsyncIterable<DocsDocument> {
    throw new Error(this.reason);
  }

  async listDocumentIds(): Promise<string[]> {
    throw new Error(this.reason);
  }

  async getDocument(): Promise<DocsDocument> {
    throw new Error(this.reason);
  }
}

function build(registry: AdapterRegistry, identifier: string | null, system: DocsClient['system']): DocsClient {
  try {
    return registry.docs(identifier);
  } catch (err) {
    return new UnavailableDocsClient(system, `docs client for ${identifier ?? 'the global scope'}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The global scope (the MSP's own docs) and each client's docs system, as the desk configuration says. */
export function registrySources(registry: AdapterRegistry): DocsSource[] {
  const global = registry.config.msp.docs.system;
  return [
    { scopeKey: scopeKeyOf(null), clientIdentifier: null, system: global, client: build(registry, null, global) },
    ...registry.clients().map((c) => ({
      scopeKey: scopeKeyOf(c.identifier), clientIdentifier: c.identifier, system: c.docs.system, client: build(registry, c.identifier, c.docs.system),
    })),
  ];
}
