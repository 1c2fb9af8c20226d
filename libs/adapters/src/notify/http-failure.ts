import { VendorAuthError, VendorError, VendorRateLimitError, VendorUnavailableError } from '../http/errors';
import { NotifyDeliveryError, type DeliveryFailureReason } from './notify-errors';

/**
 * Maps what the shared HTTP client threw (after its retries) to a delivery failure. `classify` decides
 * for the provider's 4xx answers (e.g. Twilio 21211 = invalid recipient). The provider's error text is
 * kept, never the request (which holds the message).
 */
export function deliveryFailure(
  e: unknown,
  vendor: string,
  classify: (status: number | null, body: string | null) => { reason: DeliveryFailureReason; code: string | null; detail: string } | null = () => null,
): NotifyDeliveryError {
  if (e instanceof NotifyDeliveryError) return e;
  if (!(e instanceof VendorError)) return new NotifyDeliveryError(`${vendor}: ${(e as Error).message}`, vendor, null, 'provider_unavailable', null, true);
  if (e instanceof VendorUnavailableError) return new NotifyDeliveryError(`${vendor} unavailable (${e.status ?? 'no response'})`, vendor, e.status, 'provider_unavailable', e.status ? String(e.status) : null, true);
  if (e instanceof VendorRateLimitError) return new NotifyDeliveryError(`${vendor} rate limit (429)`, vendor, 429, 'provider_rate_limited', '429', true);
  const c = classify(e.status, e.body);
  if (c) return new NotifyDeliveryError(`${vendor}: ${c.detail}`, vendor, e.status, c.reason, c.code, false);
  if (e instanceof VendorAuthError) return new NotifyDeliveryError(`${vendor} refused our credentials (${e.status})`, vendor, e.status, 'auth', e.status ? String(e.status) : null);
  return new NotifyDeliveryError(`${vendor} rejected the request (${e.status}): ${(e.body ?? '').slice(0, 200)}`, vendor, e.status, 'rejected', e.status ? String(e.status) : null);
}
