import type { ClientConfig } from '@desk/adapters';
import { IntakeRejection } from '../domain/rejection';
import {
  checkReplayWindow, verifyAutotaskSignature, verifyConnectWiseSignature, verifyHaloBasicAuth,
} from '../domain/signatures';
import type { ConnectWiseCallbackBody } from '../domain/psa-webhooks';
import { ConnectWiseSigningKeys } from './cw-signing-keys';

/**
 * Authenticates PSA deliveries against the connections in the desk configuration. Several MSP clients
 * often share one PSA tenant; the result names a client whose connection verified the delivery (its
 * PsaClient then fetches the ticket, whichever company it belongs to).
 */
export class PsaWebhookAuth {
  constructor(
    private readonly clients: () => ClientConfig[],
    private readonly keys = new ConnectWiseSigningKeys(),
    private readonly replayWindowSeconds = 300,
  ) {}

  async connectWise(raw: Buffer, body: ConnectWiseCallbackBody, signature: string | undefined): Promise<ClientConfig> {
    if (!signature) throw new IntakeRejection(401, 'missing x-content-signature header');
    const candidates = this.clients().filter((c) => c.psa.system === 'connectwise'
      && (!body.CompanyId || (c.psa.system === 'connectwise' && c.psa.companyId.toLowerCase() === body.CompanyId.toLowerCase())));
    if (candidates.length === 0) throw new IntakeRejection(401, `no ConnectWise connection for company "${body.CompanyId ?? ''}"`);
    const hosts = [...new Set(candidates.flatMap((c) => (c.psa.system === 'connectwise' ? c.psa.callbackKeyHosts : [])))];
    let key = await this.keys.get(body.Metadata.key_url, hosts);
    let v = verifyConnectWiseSignature(raw, signature, key);
    if (!v.ok) {
      key = await this.keys.get(body.Metadata.key_url, hosts, true);
      v = verifyConnectWiseSignature(raw, signature, key);
    }
    if (!v.ok) throw new IntakeRejection(401, v.reason);
    return candidates[0]!;
  }

  halo(authorization: string | undefined): ClientConfig {
    const halo = this.clients().filter((c) => c.psa.system === 'halopsa');
    if (halo.length === 0) throw new IntakeRejection(401, 'no HaloPSA connection is configured');
    let reason = 'webhook credentials do not match';
    for (const c of halo) {
      if (c.psa.system !== 'halopsa') continue;
      const v = verifyHaloBasicAuth(authorization, c.psa.webhookUsername, c.psa.webhookPassword);
      if (v.ok) return c;
      reason = v.reason;
    }
    throw new IntakeRejection(401, reason);
  }

  autotask(raw: Buffer, signature: string | undefined, eventTime: string | null, now = new Date()): ClientConfig {
    const at = this.clients().filter((c) => c.psa.system === 'autotask');
    if (at.length === 0) throw new IntakeRejection(401, 'no Autotask connection is configured');
    let reason = 'X-Hook-Signature does not match the body';
    for (const c of at) {
      if (c.psa.system !== 'autotask') continue;
      const v = verifyAutotaskSignature(raw, signature, c.psa.webhookSecret);
      if (!v.ok) { reason = v.reason; continue; }
      // The signature covers EventTime, so an old EventTime means a replayed request.
      const w = checkReplayWindow(eventTime, now, this.replayWindowSeconds);
      if (!w.ok) throw new IntakeRejection(401, w.reason);
      return c;
    }
    throw new IntakeRejection(401, reason);
  }
}
