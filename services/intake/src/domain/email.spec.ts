import { cleanSubject, parseInboundEmail, stripQuoted, ticketNumbersInSubject } from './email';
import { IntakeRejection } from './rejection';

const mail = (headers: string, body: string) => Buffer.from(`${headers.trim().split('\n').map((l) => l.trim()).join('\r\n')}\r\n\r\n${body}`);

describe('parseInboundEmail', () => {
  it('reads a plain new mail', async () => {
    const v = await parseInboundEmail(mail(`
      From: Amy Lee <Amy.Lee@contoso-dental.example>
      To: help@harborline-it.example
      Subject: Outlook keeps asking for my password
      Message-ID: <abc@mail.example>`, 'Hi, Outlook keeps prompting.\r\nThanks'));
    expect(v.kind).toBe('mail');
    if (v.kind !== 'mail') return;
    expect(v.mail.fromEmail).toBe('amy.lee@contoso-dental.example');
    expect(v.mail.fromName).toBe('Amy Lee');
    expect(v.mail.messageId).toBe('<abc@mail.example>');
    expect(v.mail.text).toContain('Outlook keeps prompting');
    expect(v.mail.threadIds).toEqual([]);
  });

  it('converts HTML-only mail to text', async () => {
    const v = await parseInboundEmail(mail(`
      From: a@contoso-dental.example
      Subject: Printer
      Message-ID: <h@x>
      Content-Type: text/html; charset=utf-8`, '<html><body><p>The <b>front desk</b> printer is jammed.</p><img src="cid:x"></body></html>'));
    expect(v.kind === 'mail' && v.mail.text).toMatch(/front desk printer is jammed/i);
  });

  it('keeps attachments as metadata only', async () => {
    const v = await parseInboundEmail(mail(`
      From: a@contoso-dental.example
      Subject: Error screenshot
      Message-ID: <att@x>
      MIME-Version: 1.0
      Content-Type: multipart/mixed; boundary="b1"`, [
      '--b1', 'Content-Type: text/plain', '', 'See attached', '--b1',
      'Content-Type: application/octet-stream; name="run.exe"', 'Content-Disposition: attachment; filename="run.exe"', 'Content-Transfer-Encoding: base64', '', Buffer.from('MZ fake').toString('base64'), '--b1--', ''].join('\r\n')));
    expect(v.kind).toBe('mail');
    if (v.kind !== 'mail') return;
    expect(v.mail.attachments).toEqual([expect.objectContaining({ filename: 'run.exe', contentType: 'application/octet-stream', size: 7 })]);
    expect(v.mail.attachments[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['Auto-Submitted: auto-replied', 'Automatic reply: away'],
    ['X-Autoreply: yes', 'Re: hello'],
    ['Precedence: bulk', 'Newsletter'],
    ['X-Failed-Recipients: x@y', 'Mail failure'],
  ])('ignores machine mail (%s)', async (header, subject) => {
    const v = await parseInboundEmail(mail(`From: a@contoso-dental.example\nSubject: ${subject}\nMessage-ID: <m@x>\n${header}`, 'text'));
    expect(v.kind).toBe('ignore');
  });

  it('ignores a DSN bounce from MAILER-DAEMON', async () => {
    const v = await parseInboundEmail(mail(`
      From: MAILER-DAEMON@mx.example
      Subject: Undeliverable: hello
      Message-ID: <b@x>
      Content-Type: multipart/report; report-type=delivery-status; boundary="r"`, '--r\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--r--\r\n'));
    expect(v).toMatchObject({ kind: 'ignore' });
  });

  it('threads a reply by In-Reply-To and References and strips the quoted history', async () => {
    const v = await parseInboundEmail(mail(`
      From: a@contoso-dental.example
      Subject: RE: [Ticket #4711] VPN
      Message-ID: <r2@x>
      In-Reply-To: <orig@desk>
      References: <first@desk> <orig@desk>`, 'It works now, thanks!\r\n\r\nOn Mon, Nov 30, 2026 at 9:00 AM Desk wrote:\r\n> Please try again'));
    expect(v.kind).toBe('mail');
    if (v.kind !== 'mail') return;
    expect(v.mail.threadIds).toEqual(['<orig@desk>', '<first@desk>']);
    expect(v.mail.ticketNumbers).toEqual(['4711']);
    expect(v.mail.newText).toBe('It works now, thanks!');
  });

  it('recognises a forwarded chain', async () => {
    const v = await parseInboundEmail(mail(`From: boss@contoso-dental.example\nSubject: Fwd: Suspicious invoice\nMessage-ID: <f@x>`,
      'Is this real?\r\n\r\n---------- Forwarded message ---------\r\nFrom: billing@evil.example\r\nSubject: Invoice\r\n\r\nPay now'));
    expect(v.kind === 'mail' && v.mail.forwarded).toBe(true);
    expect(cleanSubject('Fwd: RE: Suspicious invoice')).toBe('Suspicious invoice');
  });

  it('refuses a MIME bomb (too many nested multiparts) before parsing', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 20; i++) parts.push(`Content-Type: multipart/mixed; boundary="b${i}"`, '', `--b${i}`);
    await expect(parseInboundEmail(mail('From: a@b.example\nSubject: x\nMIME-Version: 1.0', parts.join('\r\n')))).rejects.toMatchObject({ status: 422 });
  });

  it('refuses a body that is not a message', async () => {
    await expect(parseInboundEmail(Buffer.from('just some words without headers'))).rejects.toBeInstanceOf(IntakeRejection);
  });
});

describe('helpers', () => {
  it('finds ticket numbers of each PSA style', () => {
    expect(ticketNumbersInSubject('Re: Ticket#123 and [#456] and T20250915.0001')).toEqual(['T20250915.0001', '123', '456']);
  });
  it('finds one-digit ticket numbers only where the subject says Ticket # or [#]', () => {
    expect(ticketNumbersInSubject('RE: Ticket #2 access')).toEqual(['2']);
    expect(ticketNumbersInSubject('[#7] printer')).toEqual(['7']);
    expect(ticketNumbersInSubject('ticket 3 of my 4 problems')).toEqual([]);
  });
  it('strips Outlook quoted blocks', () => {
    expect(stripQuoted('Done.\n\nFrom: Desk\nSent: Monday\nSubject: x\n\nold')).toBe('Done.');
  });
});
