import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { SandboxContext } from '../../core/context';
import { addressListed, bounces, loadRules, takeSmtpReject } from '../../admin/outbox-rules';

export interface RunningSmtp {
  port: number;
  close(): Promise<void>;
}

/** An SMTP error reply: smtp-server sends `responseCode` and the message to the client. */
const reply = (code: number, message: string): Error => Object.assign(new Error(message), { responseCode: code });

const STANDARD_TEXT: Record<number, string> = {
  421: '4.3.2 Service not available, closing transmission channel',
  451: '4.3.0 Requested action aborted: local error in processing',
  452: '4.3.1 Insufficient system storage',
  550: '5.7.1 Requested action not taken: mailbox unavailable',
  554: '5.3.0 Transaction failed',
};

/**
 * The mail relay of the sandbox (SANDBOX_SMTP_PORT, default 2525; plain, AUTH optional): every accepted
 * message lands in the outbox, one entry per envelope recipient. Recipients on the bounce list get
 * `550 5.1.1`, those on the defer list `450 4.2.1`, and an `smtpReject` outage rule refuses the whole
 * transaction at MAIL FROM. Each transaction is recorded in the call log (vendor `smtp`), without the body.
 */
export async function startSmtpSandbox(ctx: SandboxContext, opts: { port?: number; host?: string } = {}): Promise<RunningSmtp> {
  const record = (method: string, status: number, session: SMTPServerSession, body: Record<string, unknown>) =>
    ctx.calls.record({ vendor: 'smtp', method, path: '/smtp', status, body, principal: typeof session.user === 'string' ? session.user : session.remoteAddress ?? null });

  const server = new SMTPServer({
    name: 'smtp.sandbox.localhost',
    banner: 'desk sandbox ESMTP',
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: 25 * 1024 * 1024,
    logger: false,
    // Open client connections (pooled transports) must not hold a shutdown for long.
    closeTimeout: 1000,
    // Any credentials are accepted: the desk's relay may be configured with or without AUTH.
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username ?? 'anonymous' });
    },
    onMailFrom(address: SMTPServerAddress, session, cb) {
      takeSmtpReject(ctx.store)
        .then(async (code) => {
          if (code === null) return cb();
          await record('MAIL', code, session, { from: address.address });
          cb(reply(code, STANDARD_TEXT[code] ?? (code >= 500 ? STANDARD_TEXT[554] : STANDARD_TEXT[451])));
        })
        .catch((e: unknown) => cb(reply(451, `4.3.0 ${(e as Error).message}`)));
    },
    onRcptTo(address: SMTPServerAddress, session, cb) {
      loadRules(ctx.store)
        .then(async (rules) => {
          const to = address.address;
          if (bounces(rules, to)) {
            await record('RCPT', 550, session, { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, to });
            return cb(reply(550, `5.1.1 <${to}>: Recipient address rejected: User unknown`));
          }
          if (addressListed(rules.emailDefer, to)) {
            await record('RCPT', 450, session, { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, to });
            return cb(reply(450, `4.2.1 <${to}>: Recipient address rejected: Mailbox temporarily unavailable`));
          }
          cb();
        })
        .catch((e: unknown) => cb(reply(451, `4.3.0 ${(e as Error).message}`)));
    },
    onData(stream: SMTPServerDataStream, session, cb) {
      simpleParser(stream)
        .then(async (mail) => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : (mail.from?.value[0]?.address ?? null);
          const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const body = mail.text ?? (typeof mail.html === 'string' ? mail.html : '');
          for (const to of recipients) {
            await ctx.outbox.add({ channel: 'email', provider: 'smtp', to, from, subject: mail.subject ?? null, body: body.trimEnd(), status: 'delivered', principal: typeof session.user === 'string' ? session.user : null });
          }
          await record('DATA', 250, session, { from, to: recipients, subject: mail.subject ?? null, messageId: mail.messageId ?? null });
          cb(null, `2.0.0 Ok: queued as ${(mail.messageId ?? '').replace(/[<>]/g, '') || 'sandbox'}`);
        })
        .catch((e: unknown) => cb(reply(451, `4.3.0 ${(e as Error).message}`)));
    },
  });
  server.on('error', (e: Error) => console.error(`sandbox smtp: ${e.message}`));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
