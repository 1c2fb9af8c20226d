import { DateTime } from 'luxon';

/** A weekly working window in one time zone (ISO weekdays, 1 = Monday; "HH:MM" local times). */
export interface WorkWindow {
  timezone: string;
  days: number[];
  start: string;
  end: string;
}

export function toMinutes(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) throw new Error(`not a HH:MM time: "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Whether `at` is inside the window, read in the window's own time zone. */
export function inWindow(w: WorkWindow, at: Date): boolean {
  const t = DateTime.fromJSDate(at, { zone: w.timezone });
  if (!t.isValid || !w.days.includes(t.weekday)) return false;
  const minutes = t.hour * 60 + t.minute;
  return minutes >= toMinutes(w.start) && minutes < toMinutes(w.end);
}

/** The open interval of the window on the local calendar day of `day` (null on a closed day). */
function dayInterval(w: WorkWindow, day: DateTime): { open: DateTime; close: DateTime } | null {
  if (!w.days.includes(day.weekday)) return null;
  const base = day.startOf('day');
  // Built from local wall-clock times so a DST change moves the hours with the clock.
  const s = toMinutes(w.start);
  const e = toMinutes(w.end);
  if (e <= s) return null;
  return { open: base.set({ hour: Math.floor(s / 60), minute: s % 60 }), close: base.set({ hour: Math.floor(e / 60), minute: e % 60 }) };
}

/** Minutes of working time between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(w: WorkWindow, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  const end = DateTime.fromJSDate(to, { zone: w.timezone });
  let day = DateTime.fromJSDate(from, { zone: w.timezone }).startOf('day');
  let total = 0;
  // Bounded walk: a ticket older than two years does not need minute precision on its SLA clock.
  for (let i = 0; i < 800 && day <= end; i++, day = day.plus({ days: 1 })) {
    const iv = dayInterval(w, day);
    if (!iv) continue;
    const a = Math.max(iv.open.toMillis(), from.getTime());
    const b = Math.min(iv.close.toMillis(), to.getTime());
    if (b > a) total += (b - a) / 60_000;
  }
  return total;
}

/** The instant `minutes` of working time after `from` (work resumes at the next opening when `from` is outside hours). */
export function addBusinessMinutes(w: WorkWindow, from: Date, minutes: number): Date {
  let left = Math.max(0, minutes);
  let day = DateTime.fromJSDate(from, { zone: w.timezone }).startOf('day');
  for (let i = 0; i < 800; i++, day = day.plus({ days: 1 })) {
    const iv = dayInterval(w, day);
    if (!iv) continue;
    const a = Math.max(iv.open.toMillis(), from.getTime());
    const b = iv.close.toMillis();
    if (b <= a) continue;
    const avail = (b - a) / 60_000;
    // Strictly inside: a result at the very close moves to the next opening (the window is shut at its end).
    if (left < avail) return new Date(a + left * 60_000);
    left -= avail;
  }
  throw new Error('the working window never opens (no working days configured)');
}

/** The opening of the business day `at` falls in (null outside the window: a closed day, before opening or after close). */
export function currentOpening(w: WorkWindow, at: Date): Date | null {
  if (!inWindow(w, at)) return null;
  const iv = dayInterval(w, DateTime.fromJSDate(at, { zone: w.timezone }));
  return iv ? iv.open.toJSDate() : null;
}

/** The last close of the window strictly before `before` (the end of the previous business day). */
export function previousClose(w: WorkWindow, before: Date): Date {
  let day = DateTime.fromJSDate(before, { zone: w.timezone }).startOf('day');
  for (let i = 0; i < 30; i++, day = day.minus({ days: 1 })) {
    const iv = dayInterval(w, day);
    if (iv && iv.close.toMillis() < before.getTime()) return iv.close.toJSDate();
  }
  throw new Error('the working window never opens (no working days configured)');
}

/** The client's local calendar date of `at` (YYYY-MM-DD): the key of "one summary per business day". */
export function localDate(w: WorkWindow, at: Date): string {
  return DateTime.fromJSDate(at, { zone: w.timezone }).toISODate() ?? at.toISOString().slice(0, 10);
}
