import { DateTime } from 'luxon';

export interface BusinessHours {
  days: number[];
  start: string;
  end: string;
}

/** True when `at` falls outside the client's business hours in its own time zone (unknown zone → UTC). */
export function isAfterHours(at: string, timezone: string, hours: BusinessHours): boolean {
  let t = DateTime.fromISO(at, { zone: timezone });
  if (!t.isValid) t = DateTime.fromISO(at, { zone: 'utc' });
  if (!t.isValid) return false;
  if (!hours.days.includes(t.weekday)) return true;
  const minutes = t.hour * 60 + t.minute;
  return minutes < toMinutes(hours.start) || minutes >= toMinutes(hours.end);
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
