import { IntakeRejection } from '../domain/rejection';

/**
 * Fetches ConnectWise callback signing keys from Metadata.key_url — only from hosts the desk configuration
 * allows, since the URL arrives in the (not yet verified) body. Keys are cached so a verified callback
 * costs no round trip; a mismatch forces one refresh (the key may have been rotated).
 */
export class ConnectWiseSigningKeys {
  private readonly cache = new Map<string, { key: string; at: number }>();

  constructor(private readonly ttlMs = 10 * 60_000, private readonly timeoutMs = 3000) {}

  static allowed(keyUrl: string, hosts: string[]): boolean {
    let u: URL;
    try {
      u = new URL(keyUrl);
    } catch {
      return false;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
    const host = u.hostname.toLowerCase();
    return hosts.some((h) => {
      const allowed = h.toLowerCase();
      return allowed.startsWith('*.') ? host.endsWith(allowed.slice(1)) : host === allowed;
    });
  }

  async get(keyUrl: string, hosts: string[], refresh = false): Promise<string> {
    if (!ConnectWiseSigningKeys.allowed(keyUrl, hosts)) throw new IntakeRejection(401, 'Metadata.key_url is not on an allowed host');
    const hit = this.cache.get(keyUrl);
    if (hit && !refresh && Date.now() - hit.at < this.ttlMs) return hit.key;
    let res: Response;
    try {
      res = await fetch(keyUrl, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
    } catch (e) {
      throw new IntakeRejection(401, `signing key could not be fetched: ${(e as Error).message}`);
    }
    if (!res.ok) throw new IntakeRejection(401, `signing key could not be fetched (HTTP ${res.status})`);
    const body = (await res.json().catch(() => null)) as { signing_key?: unknown } | null;
    if (!body || typeof body.signing_key !== 'string' || !body.signing_key) throw new IntakeRejection(401, 'signing key response has no signing_key');
    this.cache.set(keyUrl, { key: body.signing_key, at: Date.now() });
    return body.signing_key;
  }
}
