import { DateTime } from 'luxon';

export interface BusinessHours {
  timezone: string;
  /** ISO weekdays, 1 = Monday. */
  days: number[];
  start: string;
  end: string;
}

/** Whether `at` falls inside the client's business hours, in the client's time zone. */
export function withinBusinessHours(h: BusinessHours, at: Date): boolean {
  const t = DateTime.fromJSDate(at, { zone: h.timezone });
  if (!t.isValid || !h.days.includes(t.weekday)) return false;
  const minutes = t.hour * 60 + t.minute;
  return minutes >= toMinutes(h.start) && minutes < toMinutes(h.end);
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * After hours, routine work continues and only emergencies wake someone: a security incident pages at
 * any hour; otherwise a priority 1-2 escalation pages only outside business hours (inside them the
 * board is watched).
 */
export function shouldPage(input: { security: boolean; priorityLevel: number; afterHours: boolean }): boolean {
  if (input.security) return true;
  return input.afterHours && input.priorityLevel <= 2;
}
