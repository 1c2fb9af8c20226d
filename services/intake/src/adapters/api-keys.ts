import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AdapterRegistry } from '@desk/adapters';
import { UnitOfWork } from '@desk/platform';
import { parsePortalKeys, type IntakeEnv } from '../config';
import { IntakeRejection } from '../domain/rejection';
import { sha256Hex } from '../domain/signatures';
import { INTAKE_ENV } from '../tokens';
import { IntakeStore } from './intake-store';

/**
 * Per-MSP-client API keys for the portal / chat API. Stored as SHA-256 hashes only; keys named in the
 * environment are seeded at start (rotating = add the new key, revoke the old row).
 */
@Injectable()
export class ApiKeys implements OnApplicationBootstrap {
  private readonly cache = new Map<string, { client: string; at: number }>();

  constructor(private readonly uow: UnitOfWork, private readonly registry: AdapterRegistry, @Inject(INTAKE_ENV) private readonly env: IntakeEnv) {}

  async onApplicationBootstrap(): Promise<void> {
    const keys = parsePortalKeys(this.env.INTAKE_PORTAL_KEYS);
    for (const k of keys) this.registry.client(k.clientIdentifier); // unknown client = configuration error at start
    await this.uow.run(async (ctx) => {
      for (const k of keys) await IntakeStore.seedApiKey(ctx.tx, sha256Hex(k.key), this.registry.client(k.clientIdentifier).identifier, 'env');
    });
  }

  /** The client a key belongs to; 401 naming the problem otherwise. */
  async clientFor(header: string | undefined): Promise<string> {
    if (!header) throw new IntakeRejection(401, 'missing API key (Authorization: Bearer <key> or X-Api-Key)');
    const key = header.replace(/^Bearer\s+/i, '').trim();
    const hash = sha256Hex(key);
    const hit = this.cache.get(hash);
    if (hit && Date.now() - hit.at < 30_000) return hit.client;
    const client = await this.uow.run((ctx) => IntakeStore.clientForApiKey(ctx.tx, hash));
    if (!client) throw new IntakeRejection(401, 'API key is not valid');
    this.cache.set(hash, { client, at: Date.now() });
    return client;
  }
}
