import { NotifyConnection } from '../config/connections';
import { VendorCallObserver } from '../observe';
import { NotifyMessage, NotifyReceipt, NotifyTarget } from './notify-client';

/** Picks the configured provider for each channel. */
export interface Notifier {
  send(target: NotifyTarget, message: NotifyMessage): Promise<NotifyReceipt>;
}

// Placeholder until the notify providers land: fails loudly, never fakes a result.
export function createNotifier(_conn: NotifyConnection, _observe?: VendorCallObserver): Notifier {
  throw new Error('notify providers are not built yet');
}
