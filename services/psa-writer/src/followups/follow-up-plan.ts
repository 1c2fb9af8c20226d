import { addBusinessMinutes, inWindow, toMinutes, type WorkWindow } from '../dispatch/business-time';

export interface FollowUpPolicy {
  /** Reminders after this many business days of waiting (client's hours and time zone), e.g. [1, 3]. */
  reminderBusinessDays: number[];
  /** Close after this many business days with no answer (after the last reminder). */
  closeAfterBusinessDays: number;
}

export type FollowUpStep = { kind: 'reminder'; n: number } | { kind: 'close' };

export interface PlannedTimer {
  step: FollowUpStep;
  /** Stable name of the step (unique per ticket and waiting period). */
  name: string;
  dueAt: Date;
}

/** One business day = one working day's length of the client's hours, so "1 business day" lands at the same local time next working day. */
function dayMinutes(h: WorkWindow): number {
  return toMinutes(h.end) - toMinutes(h.start);
}

/**
 * The timers of one waiting period: a reminder per configured business day, then the close. Times are
 * business time in the client's zone, so none falls on a weekend or at night.
 */
export function planFollowUps(waitingSince: Date, hours: WorkWindow, policy: FollowUpPolicy): PlannedTimer[] {
  const days = [...policy.reminderBusinessDays].sort((a, b) => a - b);
  const last = days[days.length - 1] ?? 0;
  if (policy.closeAfterBusinessDays <= last) throw new Error(`the close (${policy.closeAfterBusinessDays} business days) must come after the last reminder (${last})`);
  const per = dayMinutes(hours);
  const timers: PlannedTimer[] = days.map((d, i) => ({ step: { kind: 'reminder', n: i + 1 }, name: `reminder_${i + 1}`, dueAt: addBusinessMinutes(hours, waitingSince, d * per) }));
  timers.push({ step: { kind: 'close' }, name: 'close', dueAt: addBusinessMinutes(hours, waitingSince, policy.closeAfterBusinessDays * per) });
  return timers;
}

/** A due timer fires now only inside the client's hours; otherwise at the next opening (a catch-up after downtime never wakes anyone at night). */
export function fireAt(hours: WorkWindow, dueAt: Date, now: Date): Date {
  if (dueAt.getTime() > now.getTime()) return dueAt;
  return inWindow(hours, now) ? now : addBusinessMinutes(hours, now, 0);
}

/** What a client's answer does to the follow-up: stop the timers while open, reopen when the desk had closed it. */
export function onClientAnswer(state: { closedByDesk: boolean }): 'cancel_timers' | 'reopen' {
  return state.closedByDesk ? 'reopen' : 'cancel_timers';
}

export function composeReminder(n: number, total: number, name: string | null): string {
  const hi = name ? `Hi ${name},` : 'Hello,';
  const ask = n < total
    ? 'We are still waiting for your reply on this ticket. Could you let us know whether the steps we sent worked, or what you see now?'
    : 'We have not heard back yet. If the issue is still there, just reply to this message; if not, no action is needed and we will close the ticket soon.';
  return `${hi}\n\n${ask}\n\nThank you,\nThe service desk`;
}

export function composeClosing(name: string | null): string {
  return `${name ? `Hi ${name},` : 'Hello,'}\n\nAs we have not heard back, we are closing this ticket for now. If the problem returns or you still need help, `
    + 'simply reply to this message and the ticket will be reopened.\n\nThank you,\nThe service desk';
}

/** What a ticket waits for; it decides the timers and the words of each note. */
export const WAIT_KINDS = ['client', 'verification', 'approval', 'progress'] as const;
export type WaitKind = (typeof WAIT_KINDS)[number];

/**
 * The timers of one waiting period by kind: the client's answer gets reminders and the close; a code or
 * an approval gets the reminders only (the executor escalates when they lapse); long-running work gets
 * status updates after the given business minutes.
 */
export function planWaiting(kind: WaitKind, since: Date, hours: WorkWindow, policy: FollowUpPolicy, progressMinutes: number[]): PlannedTimer[] {
  if (kind === 'progress') {
    return [...progressMinutes].sort((a, b) => a - b).map((m, i) => ({ step: { kind: 'reminder', n: i + 1 }, name: `update_${i + 1}`, dueAt: addBusinessMinutes(hours, since, m) }));
  }
  const timers = planFollowUps(since, hours, policy);
  return kind === 'client' ? timers : timers.filter((t) => t.step.kind !== 'close');
}

const hello = (name: string | null) => (name ? `Hi ${name},` : 'Hello,');

/** A note for a timer that is not a guidance reminder: what the desk is waiting for, unasked. */
export function composeStatusUpdate(kind: Exclude<WaitKind, 'client'>, detail: string | null, name: string | null): string {
  const body = {
    verification: 'We are still waiting for the one-time code we sent to your mobile number on file. If it has expired or did not arrive, just reply here and we will help.',
    approval: `A quick update: your request is waiting for written approval${detail ? ` from ${detail}` : ''}. We have asked for it and will go ahead as soon as it arrives; there is nothing you need to do.`,
    progress: `A quick update: we are still working on your request${detail ? ` (${detail})` : ''}. This can take a while; we will let you know as soon as it is done and checked.`,
  }[kind];
  return `${hello(name)}\n\n${body}\n\nThank you,\nThe service desk`;
}

export const REOPEN_NOTE = 'The user answered after the desk closed this ticket for lack of reply: reopened.';
