import { randomBytes } from 'node:crypto';

/** A Message resource as Twilio's 2010-04-01 API returns it. */
export interface TwilioMessage {
  sid: string;
  account_sid: string;
  api_version: '2010-04-01';
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'outbound-api' | 'inbound';
  error_code: number | null;
  error_message: string | null;
  from: string;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: 'USD';
  status: 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received';
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

export const MESSAGE_KIND = 'twilio.message';

export const newSid = (prefix: 'SM' | 'MM'): string => prefix + randomBytes(16).toString('hex');

/** RFC 2822 dates, as Twilio writes them: `Thu, 24 Aug 2023 05:01:45 +0000`. */
export const twilioDate = (d = new Date()): string => d.toUTCString().replace('GMT', '+0000');

/** GSM-7 fits 160 characters in one segment (153 when split); anything else is UCS-2 (70 / 67). */
export function segments(body: string): number {
  const gsm = /^[A-Za-z0-9 \r\n@£$¥èéùìòÇØøÅå_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\[~\]|€]*$/.test(body);
  const [one, many] = gsm ? [160, 153] : [70, 67];
  return body.length <= one ? 1 : Math.ceil(body.length / many);
}

export function messageResource(input: { sid: string; accountSid: string; from: string; to: string; body: string; direction: TwilioMessage['direction']; status: TwilioMessage['status'] }): TwilioMessage {
  const now = twilioDate();
  const uri = `/2010-04-01/Accounts/${input.accountSid}/Messages/${input.sid}.json`;
  return {
    sid: input.sid, account_sid: input.accountSid, api_version: '2010-04-01', body: input.body, date_created: now, date_sent: null, date_updated: now,
    direction: input.direction, error_code: null, error_message: null, from: input.from, messaging_service_sid: null, num_media: '0',
    num_segments: String(segments(input.body)), price: null, price_unit: 'USD', status: input.status,
    subresource_uris: { media: uri.replace('.json', '/Media.json') }, to: input.to, uri,
  };
}
