/** Vendor failures mapped to types the services can reason about (retry, escalate, re-auth...). */
export class VendorError extends Error {
  constructor(
    message: string,
    readonly vendor: string,
    readonly status: number | null,
    readonly body: string | null = null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
/** 401/403: credentials are wrong or lack permission. Never retried. */
export class VendorAuthError extends VendorError {}
/** 404. */
export class VendorNotFoundError extends VendorError {}
/** 400/409/422: our request was wrong for this vendor. Never retried. */
export class VendorRequestError extends VendorError {}
/** 429 after the last retry. */
export class VendorRateLimitError extends VendorError {}
/** 5xx, timeouts, connection errors after the last retry. */
export class VendorUnavailableError extends VendorError {}
/** A 2xx body that does not have the shape the vendor documents. */
export class VendorResponseError extends VendorError {}
