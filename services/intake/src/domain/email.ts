import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { convert } from 'html-to-text';
import { IntakeRejection } from './rejection';
import { sha256Hex } from './signatures';

export interface ParsedInboundEmail {
  messageId: string;
  /** Message-IDs this mail answers (In-Reply-To first, then References newest first). */
  threadIds: string[];
  /** Ticket numbers found in the subject ("Ticket #1234", "[#1234]", "T20250915.0001"). */
  ticketNumbers: string[];
  subject: string;
  fromEmail: string | null;
  fromName: string | null;
  /** The full text (HTML converted when the mail had no text part). */
  text: string;
  /** The text without quoted history: what the sender added in a reply. */
  newText: string;
  forwarded: boolean;
  attachments: Array<{ filename: string; contentType: string; size: number; sha256: string }>;
  date: string | null;
}

export type EmailVerdict = { kind: 'ignore'; reason: string; messageId: string } | { kind: 'mail'; mail: ParsedInboundEmail };

/** Limits that keep a hostile MIME structure from costing more than a normal mail. */
export const MIME_LIMITS = { maxParts: 100, maxDepth: 10, maxAttachments: 50 };

/** Cheap structural check before the parser runs: counts boundaries and nesting in the raw text. */
export function checkMimeShape(raw: Buffer): void {
  const text = raw.toString('latin1');
  const boundaries = new Set<string>();
  const re = /boundary\s*=\s*"?([^";\r\n]+)"?/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) boundaries.add(m[1]!);
  if (boundaries.size > MIME_LIMITS.maxDepth) throw new IntakeRejection(422, `MIME structure nested more than ${MIME_LIMITS.maxDepth} levels`);
  let parts = 0;
  for (const b of boundaries) parts += text.split(`--${b}`).length - 1;
  if (parts > MIME_LIMITS.maxParts) throw new IntakeRejection(422, `MIME message has more than ${MIME_LIMITS.maxParts} parts`);
  if (!/^[\x21-\x39\x3b-\x7e]+:/m.test(text.slice(0, 4096))) throw new IntakeRejection(422, 'body is not an RFC 822 message (no header lines)');
}

function header(mail: ParsedMail, name: string): string {
  const v = mail.headers.get(name.toLowerCase());
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v && typeof (v as { value: unknown }).value === 'string') return (v as { value: string }).value;
  return String(v as unknown);
}

/** Why a mail is machine-generated (auto-reply, bounce, list), or null for a person's mail. */
export function autoMailReason(mail: ParsedMail, rawHead: string): string | null {
  const autoSubmitted = header(mail, 'auto-submitted').toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return 'X-Autoreply header';
  const precedence = header(mail, 'precedence').toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  if (/multipart\/report/i.test(rawHead) && /report-type\s*=\s*"?delivery-status/i.test(rawHead)) return 'delivery status notification (bounce)';
  if (mail.headers.has('x-failed-recipients')) return 'delivery failure (X-Failed-Recipients)';
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? '';
  if (/^(mailer-daemon|postmaster)@/.test(from)) return `sent by ${from.split('@')[0]}`;
  const returnPath = header(mail, 'return-path').trim();
  if (returnPath === '<>') return 'empty Return-Path (bounce)';
  const subject = (mail.subject ?? '').toLowerCase();
  if (/^(automatic reply|auto(-| )?reply|out of (the )?office|undeliverable|delivery status notification|mail delivery (failed|subsystem))/.test(subject)) return `auto-generated subject "${mail.subject}"`;
  return null;
}

const TICKET_NUMBER_PATTERNS = [
  /\bT\d{8}\.\d{4}\b/g, // Autotask ticket numbers
  // An explicit "Ticket #N" or "[#N]" may name a one-digit ticket (a young PSA numbers from 1).
  /ticket\s*#\s*(\d{1,10})\b/gi,
  /ticket\s+(\d{2,10})\b/gi,
  /\[#(\d{1,10})\]/g,
];

export function ticketNumbersInSubject(subject: string): string[] {
  const out: string[] = [];
  for (const re of TICKET_NUMBER_PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(subject); m; m = re.exec(subject)) out.push(m[1] ?? m[0]);
  }
  return [...new Set(out)];
}

/** Drops quoted history ("> ..." lines, "On ... wrote:", Outlook's "From: ... Sent:" block). */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^On .+wrote:\s*$/.test(line) || /^-{2,}\s*Original Message\s*-{2,}/i.test(line)) break;
    if (/^From:\s.+/.test(line) && lines.slice(i + 1, i + 5).some((l) => /^(Sent|Date):\s/.test(l))) break;
    if (/^>/.test(line)) continue;
    kept.push(line);
  }
  return kept.join('\n').trim();
}

const FORWARD_MARKERS = /(-{3,}\s*Forwarded message\s*-{3,}|Begin forwarded message:|-{3,}\s*Original Message\s*-{3,})/i;

function firstAddress(a: AddressObject | AddressObject[] | undefined): { address: string | null; name: string | null } {
  const obj = Array.isArray(a) ? a[0] : a;
  const v = obj?.value[0];
  return { address: v?.address?.toLowerCase() ?? null, name: v?.name || null };
}

function messageIdList(v: string | string[] | undefined): string[] {
  if (!v) return [];
  const all = (Array.isArray(v) ? v : [v]).flatMap((s) => s.match(/<[^>]+>/g) ?? [s.trim()]);
  return all.filter((s) => s.length > 0);
}

/** Parses a raw RFC 822 message; machine mail is recognised so it never becomes a ticket. */
export async function parseInboundEmail(raw: Buffer): Promise<EmailVerdict> {
  if (raw.length === 0) throw new IntakeRejection(400, 'empty body: a raw RFC 822 message was expected');
  checkMimeShape(raw);
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (e) {
    throw new IntakeRejection(422, `unparseable MIME message: ${(e as Error).message}`);
  }
  const headEnd = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const rawHead = raw.subarray(0, headEnd < 0 ? Math.min(raw.length, 8192) : headEnd).toString('latin1');
  const messageId = mail.messageId?.trim() || `<sha256-${sha256Hex(raw)}@intake.desk>`;
  const auto = autoMailReason(mail, rawHead);
  if (auto) return { kind: 'ignore', reason: auto, messageId };

  const from = firstAddress(mail.from);
  if (!from.address) throw new IntakeRejection(422, 'email has no From address');
  if (mail.attachments.length > MIME_LIMITS.maxAttachments) throw new IntakeRejection(422, `email has more than ${MIME_LIMITS.maxAttachments} attachments`);
  const html = typeof mail.html === 'string' ? mail.html : '';
  const text = (mail.text && mail.text.trim()) || (html ? convert(html, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }] }) : '');
  const subject = (mail.subject ?? '').trim();
  const threadIds = [...messageIdList(mail.inReplyTo), ...messageIdList(mail.references).reverse()];
  return {
    kind: 'mail',
    mail: {
      messageId,
      threadIds: [...new Set(threadIds)],
      ticketNumbers: ticketNumbersInSubject(subject),
      subject,
      fromEmail: from.address,
      fromName: from.name,
      text,
      newText: stripQuoted(text),
      forwarded: /^(fwd?|fw):/i.test(subject) || FORWARD_MARKERS.test(text),
      // Attachments are recorded, never stored or opened: the desk acts on text only.
      attachments: mail.attachments.map((a) => ({
        filename: a.filename ?? 'unnamed',
        contentType: a.contentType,
        size: a.size,
        sha256: sha256Hex(a.content),
      })),
      date: mail.date ? mail.date.toISOString() : null,
    },
  };
}

/** Subject without reply/forward prefixes, for the ticket summary. */
export function cleanSubject(subject: string): string {
  return subject.replace(/^((re|fwd?|fw|aw|wg)\s*:\s*)+/i, '').trim() || '(no subject)';
}
