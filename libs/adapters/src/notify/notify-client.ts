/** Where a message goes. Built by the desk from records on file, never from text in a ticket. */
export type NotifyTarget =
  | { channel: 'sms'; phone: string }
  | { channel: 'email'; address: string }
  | { channel: 'teams'; webhookUrl: string }
  | { channel: 'slack'; webhookUrl: string }
  | { channel: 'webhook'; url: string };

export interface NotifyMessage {
  subject?: string;
  body: string;
  /** Secret content (codes, temporary passwords): never logged, only on a verified channel. */
  sensitive: boolean;
  /** Paging and chat: how urgent (default `info`). */
  severity?: 'critical' | 'error' | 'warning' | 'info';
  /** Paging: events with the same key are one incident at the paging tool. */
  dedupKey?: string;
  /**
   * Email: the desk ticket the message belongs to. SMTP mail carries it in its Message-ID
   * (`<ticket.{id}.{nonce}@{sender domain}>`), so a reply threads back onto the ticket at intake.
   */
  threadId?: string;
}

export interface NotifyReceipt {
  providerMessageId: string | null;
  status: 'queued' | 'sent' | 'failed';
  detail: string | null;
}

/** What the provider knows now about a message it accepted (carrier receipts arrive after the API call). */
export interface DeliveryStatus {
  state: 'pending' | 'delivered' | 'failed';
  /** The provider's own status word (Twilio: queued, sent, delivered, undelivered, failed). */
  providerStatus: string;
  /** The provider's error code (Twilio 30003...), when it gave one. */
  errorCode: string | null;
  detail: string | null;
}

/** One delivery provider (Twilio-compatible SMS, SMTP, Graph sendMail, Teams, Slack, signed webhook). */
export interface NotifyClient {
  readonly provider: string;
  readonly channels: ReadonlyArray<NotifyTarget['channel']>;
  send(target: NotifyTarget, message: NotifyMessage): Promise<NotifyReceipt>;
  /** Reads a sent message's delivery state, for providers that report it (Twilio's Message resource). */
  status?(providerMessageId: string): Promise<DeliveryStatus>;
}
