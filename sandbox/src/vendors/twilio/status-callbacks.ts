import type { SandboxContext } from '../../core/context';
import type { TwilioAccount } from './accounts';
import { MESSAGE_KIND, twilioDate, type TwilioMessage } from './message';
import { twilioSignature } from './signature';

const delayMs = (): number => Number(process.env.SANDBOX_SMS_CALLBACK_DELAY_MS ?? 50) || 0;

/**
 * The carrier's side: a moment after the API accepted the message it is `sent`, then `delivered` (or
 * `undelivered`, error 30003, for numbers on the undeliverable list; `failed`, error 30001, for numbers
 * on the failed list). Each step updates the resource and,
 * when the sender gave a StatusCallback, POSTs Twilio's signed status callback to it.
 */
export type CarrierOutcome = 'delivered' | 'undelivered' | 'failed';

export function scheduleStatusCallbacks(ctx: SandboxContext, acct: TwilioAccount, sid: string, outcome: CarrierOutcome, callbackUrl: string | null): void {
  const step = async (status: TwilioMessage['status']) => {
    const patch: Partial<TwilioMessage> = { status, date_updated: twilioDate() };
    if (status === 'sent') patch.date_sent = twilioDate();
    if (status === 'undelivered') Object.assign(patch, { error_code: 30003, error_message: 'Unreachable destination handset' });
    if (status === 'failed') Object.assign(patch, { error_code: 30001, error_message: 'Queue overflow' });
    const msg = await ctx.store.patch<TwilioMessage>(MESSAGE_KIND, sid, patch);
    if (!msg || !callbackUrl) return;
    const params: Record<string, string> = {
      AccountSid: acct.sid, ApiVersion: '2010-04-01', From: msg.from, MessageSid: sid, MessageStatus: status,
      SmsSid: sid, SmsStatus: status, To: msg.to, ...(msg.error_code ? { ErrorCode: String(msg.error_code) } : {}),
    };
    await ctx.deliverWebhook({
      vendor: 'twilio', url: callbackUrl, body: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(callbackUrl, params, acct.authToken), 'i-twilio-idempotency-token': `${sid}-${status}` },
    });
  };
  const run = async () => {
    // `failed` never reached a carrier: Twilio reports it without a `sent` step.
    if (outcome !== 'failed') await step('sent');
    await step(outcome);
  };
  const t = setTimeout(() => {
    run().catch((e: unknown) => console.error(`twilio status callback for ${sid}: ${(e as Error).message}`));
  }, delayMs());
  t.unref();
}
