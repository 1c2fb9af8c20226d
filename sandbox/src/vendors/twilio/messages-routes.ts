import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../../core/context';
import { loadRules, normalizePhone } from '../../admin/outbox-rules';
import { authenticate, type TwilioAccount } from './accounts';
import { MESSAGE_KIND, messageResource, newSid, type TwilioMessage } from './message';
import { scheduleStatusCallbacks } from './status-callbacks';
import { twilioError } from './twilio-errors';

type Form = Record<string, string | undefined>;

function account(ctx: SandboxContext, req: Request, res: Response): TwilioAccount | null {
  const acct = authenticate(ctx.world, req);
  // Twilio answers 20003 both for bad credentials and for another account's resources.
  if (!acct || acct.sid !== req.params.accountSid) {
    twilioError(res, 401, 20003, 'Authenticate');
    return null;
  }
  res.locals.principal = acct.sid;
  return acct;
}

/** Twilio Programmable Messaging, `/2010-04-01/Accounts/{AccountSid}/Messages…`. */
export function mountMessageRoutes(ctx: SandboxContext, r: Router): void {
  r.post('/2010-04-01/Accounts/:accountSid/Messages.json', async (req, res) => {
    const form = (req.body ?? {}) as Form;
    // A code or a temporary password may be in Body: the call log keeps the envelope only.
    res.locals.callBody = { ...form, ...(form.Body !== undefined ? { Body: '[redacted]' } : {}) };
    const acct = account(ctx, req, res);
    if (!acct) return;
    if (!form.To) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
    if (!form.From && !form.MessagingServiceSid) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
    if (!form.Body && !form.MediaUrl) return twilioError(res, 400, 21602, 'Message body is required.');
    if ((form.Body ?? '').length > 1600) return twilioError(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    // A Messaging Service picks the sender from its pool: here, the account's first number.
    const from = form.From ? (normalizePhone(form.From) ?? form.From) : acct.numbers[0];
    if (form.From && !acct.numbers.includes(from)) {
      return twilioError(res, 400, 21606, `The From phone number ${form.From} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    }
    const rules = await loadRules(ctx.store);
    const to = normalizePhone(form.To);
    if (!to || rules.smsInvalid.includes(to)) return twilioError(res, 400, 21211, `Invalid 'To' Phone Number: ${form.To}`);
    if (form.StatusCallback && !/^https?:\/\//.test(form.StatusCallback)) return twilioError(res, 400, 21609, 'Invalid StatusCallback URL.');

    const msg = messageResource({ sid: newSid('SM'), accountSid: acct.sid, from, to, body: form.Body ?? '', direction: 'outbound-api', status: 'queued' });
    const outcome = rules.smsFailed?.includes(to) ? 'failed' : rules.smsUndeliverable.includes(to) ? 'undelivered' : 'delivered';
    await ctx.store.put(MESSAGE_KIND, msg.sid, msg, acct.client);
    await ctx.outbox.add({ channel: 'sms', provider: 'twilio', to, from, subject: null, body: msg.body, status: outcome, principal: acct.sid });
    res.status(201).json(msg);
    scheduleStatusCallbacks(ctx, acct, msg.sid, outcome, form.StatusCallback ?? null);
  });

  r.get('/2010-04-01/Accounts/:accountSid/Messages/:sid.json', async (req, res) => {
    const acct = account(ctx, req, res);
    if (!acct) return;
    const msg = await ctx.store.get<TwilioMessage>(MESSAGE_KIND, String(req.params.sid));
    if (!msg || msg.account_sid !== acct.sid) return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    res.json(msg);
  });

  r.get('/2010-04-01/Accounts/:accountSid/Messages.json', async (req, res) => {
    const acct = account(ctx, req, res);
    if (!acct) return;
    const q = req.query as Form;
    const pageSize = Math.min(Math.max(Number(q.PageSize ?? 50) || 50, 1), 1000);
    const page = Math.max(Number(q.Page ?? 0) || 0, 0);
    const to = q.To ? normalizePhone(q.To) ?? q.To : null;
    const from = q.From ? normalizePhone(q.From) ?? q.From : null;
    const all = (await ctx.store.list<TwilioMessage>(MESSAGE_KIND, { where: { account_sid: acct.sid } }))
      .filter((m) => (!to || m.to === to) && (!from || m.from === from))
      .sort((a, b) => Date.parse(b.date_created) - Date.parse(a.date_created));
    const items = all.slice(page * pageSize, (page + 1) * pageSize);
    const base = `/2010-04-01/Accounts/${acct.sid}/Messages.json`;
    const uri = (p: number) => `${base}?PageSize=${pageSize}&Page=${p}${to ? `&To=${encodeURIComponent(to)}` : ''}${from ? `&From=${encodeURIComponent(from)}` : ''}`;
    res.json({
      messages: items, end: page * pageSize + items.length - 1, first_page_uri: uri(0), next_page_uri: (page + 1) * pageSize < all.length ? uri(page + 1) : null,
      page, page_size: pageSize, previous_page_uri: page > 0 ? uri(page - 1) : null, start: page * pageSize, uri: uri(page),
    });
  });
}
