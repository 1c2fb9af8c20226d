import { VendorRequestError } from '../http/errors';

/** The device's agent is offline: a script cannot run now (the desk escalates or waits, never retries blindly). */
export class RmmDeviceOfflineError extends VendorRequestError {}

/** The script is not in the MSP's library on this RMM. */
export class RmmScriptNotFoundError extends VendorRequestError {}
