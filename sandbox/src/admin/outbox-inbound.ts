import MailComposer from 'nodemailer/lib/mail-composer';
import type { SandboxContext } from '../core/context';
import { normalizePhone } from './outbox-rules';
import { loadTargets } from './outbox-targets';
import { accountSidFor, twilioAccounts, twilioSignature } from '../vendors/twilio';
import type { TwilioAccount } from '../vendors/twilio/accounts';
import { MESSAGE_KIND, messageResource, newSid } from '../vendors/twilio/message';

export interface InboundResult {
  url: string;
  /** The desk's HTTP status (0 = unreachable). */
  status: number;
  responseBody: string;
}

export class NoInboundTarget extends Error {}

async function post(url: string, headers: Record<string, string>, body: string): Promise<InboundResult> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
    return { url, status: res.status, responseBody: (await res.text()).slice(0, 2000) };
  } catch (e) {
    return { url, status: 0, responseBody: (e as Error).message };
  }
}

/**
 * Which account receives the reply (every account shares the desk's number here): the one asked for, else
 * the client whose contact owns the sending mobile, else the account that texted last (a person answering
 * from another phone answers the message they just got), else the MSP's own.
 */
async function receivingAccount(ctx: SandboxContext, from: string, requested?: string): Promise<TwilioAccount> {
  const all = twilioAccounts(ctx.world);
  const asked = all.find((a) => a.sid === requested);
  if (asked) return asked;
  const owner = ctx.world.clients.find((c) => c.contacts.some((p) => p.mobile && normalizePhone(p.mobile) === from));
  const byOwner = owner ? all.find((a) => a.sid === accountSidFor(owner.id)) : undefined;
  if (byOwner) return byOwner;
  const last = (await ctx.outbox.list({ channel: 'sms' })).filter((m) => m.provider === 'twilio').pop();
  return all.find((a) => a.sid === last?.principal) ?? all[0];
}

/**
 * A user's SMS reply, as Twilio would POST it to the number's messaging webhook: form-encoded, with
 * `X-Twilio-Signature` computed with the receiving account's auth token over the target URL. The account
 * is the client whose contact owns the sending mobile (the MSP's own account otherwise).
 */
export async function deliverInboundSms(ctx: SandboxContext, input: { from: string; to: string; body: string; accountSid?: string }): Promise<InboundResult & { messageSid: string }> {
  const { sms: url } = await loadTargets(ctx.store);
  if (!url) throw new NoInboundTarget('no inbound SMS target: POST /admin/inbound/targets {"sms": url} or set SANDBOX_INBOUND_SMS_URL');
  const from = normalizePhone(input.from) ?? input.from;
  const to = normalizePhone(input.to) ?? input.to;
  const acct = await receivingAccount(ctx, from, input.accountSid);
  const sid = newSid('SM');
  const params: Record<string, string> = {
    ToCountry: 'US', ToState: '', SmsMessageSid: sid, NumMedia: '0', ToCity: '', FromZip: '', SmsSid: sid, FromState: '', SmsStatus: 'received',
    FromCity: '', Body: input.body, FromCountry: 'US', To: to, ToZip: '', NumSegments: '1', MessageSid: sid, AccountSid: acct.sid, From: from, ApiVersion: '2010-04-01',
  };
  await ctx.store.put(MESSAGE_KIND, sid, messageResource({ sid, accountSid: acct.sid, from, to, body: input.body, direction: 'inbound', status: 'received' }), acct.client);
  const result = await post(url, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(url, params, acct.authToken), 'user-agent': 'TwilioProxy/1.1' }, new URLSearchParams(params).toString());
  await ctx.calls.record({ vendor: 'twilio', method: 'POST', path: url, status: result.status, body: { ...params, Body: '[redacted]' }, principal: 'inbound-sms' });
  return { ...result, messageSid: sid };
}

/** A user's email reply as raw RFC 822 (`message/rfc822`), the form mail-to-webhook gateways forward. */
export async function deliverInboundEmail(
  ctx: SandboxContext,
  input: { from: string; to: string; subject: string; text: string; inReplyTo?: string | null },
): Promise<InboundResult & { messageId: string }> {
  const { email: url } = await loadTargets(ctx.store);
  if (!url) throw new NoInboundTarget('no inbound email target: POST /admin/inbound/targets {"email": url} or set SANDBOX_INBOUND_EMAIL_URL');
  const reply = input.inReplyTo ? (input.inReplyTo.startsWith('<') ? input.inReplyTo : `<${input.inReplyTo}>`) : undefined;
  const mail = new MailComposer({ from: input.from, to: input.to, subject: input.subject, text: input.text, inReplyTo: reply, references: reply ? [reply] : undefined }).compile();
  const raw = (await mail.build()).toString('utf8');
  const messageId = mail.messageId();
  const { emailToken } = await loadTargets(ctx.store);
  // A desk that guards its inbound-mail endpoint with a shared token gets it, as from its mail relay.
  const result = await post(url, { 'content-type': 'message/rfc822', ...(emailToken ? { 'x-desk-mail-token': emailToken } : {}) }, raw);
  await ctx.calls.record({ vendor: 'smtp', method: 'POST', path: url, status: result.status, body: { from: input.from, to: input.to, subject: input.subject, inReplyTo: reply ?? null, messageId }, principal: 'inbound-email' });
  return { ...result, messageId };
}
