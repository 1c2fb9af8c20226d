import { VendorError } from '../http/errors';

/**
 * Why a message did not reach its recipient, in terms the executor can act on (escalate with the reason,
 * try another method on file, retry later).
 */
export type DeliveryFailureReason =
  /** The provider says the number / address cannot receive (Twilio 21211, 21614..., SMTP 550 at RCPT). */
  | 'invalid_recipient'
  /** The mail system accepted, then refused the recipient (SMTP 5xx at DATA, NDR). */
  | 'bounced'
  /** A temporary refusal (SMTP 4xx): may work later. */
  | 'deferred'
  /** Provider 5xx, timeout, connection refused, after the retries. */
  | 'provider_unavailable'
  /** The provider's own rate limit (429) after the retries. */
  | 'provider_rate_limited'
  /** The desk's per-recipient limit: too many messages to this recipient recently. */
  | 'recipient_rate_limited'
  /** Our credentials were refused (401/403, SMTP 535). */
  | 'auth'
  /** The provider refused the request itself (4xx other than the above). */
  | 'rejected'
  /** No provider configured for this channel at this client. */
  | 'channel_not_configured'
  /** A secret (code, temporary password) was addressed to a broadcast channel (chat, paging). */
  | 'channel_not_allowed';

export class NotifyDeliveryError extends VendorError {
  constructor(
    message: string,
    vendor: string,
    status: number | null,
    readonly reason: DeliveryFailureReason,
    /** The provider's own code (Twilio error code, SMTP reply code...), when it gave one. */
    readonly providerCode: string | null = null,
    /** True when retrying later may succeed (deferred, unavailable, rate limits). */
    readonly temporary = false,
  ) {
    super(message, vendor, status, null);
  }
}

/**
 * Removes a message's content from provider error text, so that a secret can never travel inside an
 * error message or a log line built from one.
 */
export function scrub(text: string, secret: string | undefined): string {
  if (!secret) return text;
  let out = text;
  for (const piece of [secret, ...secret.split(/\s+/).filter((w) => w.length >= 4)]) out = out.split(piece).join('[redacted]');
  return out;
}
