import { z } from 'zod';
import { PlatformEnv } from '@desk/platform';

/**
 * Intake's own settings. Secrets for senders that only share a token (RMM alert webhooks, an inbound-mail
 * relay) and the portal API keys live here; PSA webhook secrets come from the desk configuration.
 */
export const IntakeEnv = PlatformEnv.extend({
  /** Largest accepted body, bytes (413 above). */
  INTAKE_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Shared secret for /alerts/*: header `X-Desk-Alert-Token` or `Authorization: Bearer`. */
  INTAKE_ALERT_TOKEN: z.string().min(16).default('sandbox-alert-token-0123456789'),
  /** Shared secret for /inbound/email (header `X-Desk-Mail-Token` or Bearer); empty = no check (SMTP relay on a private network). */
  INTAKE_EMAIL_TOKEN: z.string().min(16).optional(),
  /** Portal/chat API keys: "ClientIdentifier=key,OtherClient=key2" (seeded into intake.api_key as hashes). */
  INTAKE_PORTAL_KEYS: z.string().default(''),
  /** Public base URL of this service as Twilio calls it (the SMS signature covers the full URL). */
  INTAKE_PUBLIC_URL: z.string().url().default('http://127.0.0.1:3001'),
  /** Same device + condition within this window → the same ticket. */
  INTAKE_ALERT_STORM_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Replay window for signed timestamps (Autotask EventTime). */
  INTAKE_REPLAY_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
  /**
   * While psa-writer is creating a ticket in the same PSA, an "added" callback waits up to this long for the
   * link of the ticket the desk itself opened (its callback can arrive first); any other callback is fetched at once.
   */
  INTAKE_ADDED_SETTLE_MS: z.coerce.number().int().min(0).default(1000),
  /**
   * An update the PSA attributes to the desk's own member is fetched this much later. The desk's writes come
   * in bursts (a note, a status, a time entry), each with its callback; waiting briefly lets one fetch cover
   * the burst (the worker folds the queued callbacks of a ticket into one read). It is still fetched: an
   * update made with the desk's credentials is not proof that it only holds the desk's own writes.
   */
  INTAKE_OWN_UPDATE_SETTLE_MS: z.coerce.number().int().min(0).default(3000),
  /** The From address of alert tickets (the MSP's RMM alert sender), so triage knows the RMM is speaking. */
  INTAKE_ALERT_SENDER: z.string().email().default('rmm-alerts@harborline-it.example'),
  /**
   * PSA fetch worker poll interval: the safety net. Accepted callbacks wake the worker themselves (at once,
   * or when their settle is over); the poll picks up retries, other replicas' jobs and a restart's backlog.
   */
  INTAKE_FETCH_POLL_MS: z.coerce.number().int().min(20).default(1000),
  /**
   * PSA fetch jobs run in parallel across tickets; jobs of one PSA ticket still run one at a time, in order.
   * A job mostly waits on two PSA calls, so many lanes are cheap (each holds a DB connection only to commit).
   */
  INTAKE_FETCH_CONCURRENCY: z.coerce.number().int().min(1).max(128).default(32),
});
export type IntakeEnv = z.infer<typeof IntakeEnv>;

/** Parses INTAKE_PORTAL_KEYS; a malformed entry is a configuration error, not a silent skip. */
export function parsePortalKeys(spec: string): Array<{ clientIdentifier: string; key: string }> {
  return spec.split(',').map((s) => s.trim()).filter(Boolean).map((entry) => {
    const i = entry.indexOf('=');
    if (i <= 0 || i === entry.length - 1) throw new Error(`INTAKE_PORTAL_KEYS entry "${entry.slice(0, 20)}" must be Client=key`);
    const key = entry.slice(i + 1);
    if (key.length < 16) throw new Error(`INTAKE_PORTAL_KEYS key for ${entry.slice(0, i)} must be at least 16 characters`);
    return { clientIdentifier: entry.slice(0, i), key };
  });
}
