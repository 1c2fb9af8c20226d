/** Injected "now": the demo world lives at its reference date, production at the real clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: string | Date): Clock {
  const t = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(t.getTime())) throw new Error(`invalid clock time: ${String(at)}`);
  return { now: () => new Date(t.getTime()) };
}

/** KNOWLEDGE_NOW pins the clock (e.g. the demo reference date 2026-11-30T15:00:00Z); unset = real time. */
export function clockFromEnv(value: string | undefined): Clock {
  return value && value.trim() ? fixedClock(value.trim()) : systemClock;
}
