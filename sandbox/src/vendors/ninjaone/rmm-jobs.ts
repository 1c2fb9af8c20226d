import { randomUUID } from 'node:crypto';
import type { SandboxContext } from '../../core/context';
import { applyScript } from './script-effects';
import type { RmmVendor, StoredDevice } from './rmm-state';

/**
 * Script jobs of both RMMs. A job is queued, starts after a third of its duration (the agent picked it up)
 * and completes after the full duration (SANDBOX_RMM_JOB_MS, default 400 ms; admin-settable), when its
 * effects are applied. Completion runs on a timer and, as a fallback, whenever a job is read.
 */
export const JOB_KIND = 'rmm.job';

export interface JobRecord {
  uid: string;
  seq: number;
  system: RmmVendor;
  deviceId: number;
  deviceUid: string;
  clientIdentifier: string;
  script: string;
  parameters: Record<string, string>;
  createdAt: string;
  startAt: number;
  completeAt: number;
  state: 'queued' | 'done';
  result: 'SUCCESS' | 'FAILURE' | null;
  /** True when the device was offline when the job was due (Datto: Expired). */
  offline: boolean;
  stdout: string;
  stderr: string;
  finishedAt: string | null;
  /** NinjaOne activity ids of the run, allocated when each event is first seen, so ids grow with time. */
  activityIds?: { requested: number; started?: number; completed?: number };
}

export const ACTIVITY_SEQ = 'ninja.activity.seq';

let jobMs = Number(process.env.SANDBOX_RMM_JOB_MS ?? 400) || 400;

export function jobDurationMs(): number {
  return jobMs;
}

export function setJobDurationMs(ms: number): void {
  jobMs = Math.max(0, Math.floor(ms));
}

export function jobPhase(job: JobRecord, now = Date.now()): 'queued' | 'running' | 'done' {
  if (job.state === 'done') return 'done';
  return now >= job.startAt ? 'running' : 'queued';
}

const settling = new Set<string>();

/** Completes the job if it is due (idempotent; one completion per job even when timer and reader race). */
export async function settleJob(ctx: SandboxContext, uid: string): Promise<JobRecord | null> {
  const job = await ctx.store.get<JobRecord>(JOB_KIND, uid);
  if (!job || job.state === 'done' || Date.now() < job.completeAt || settling.has(uid)) return job;
  settling.add(uid);
  try {
    const out = await applyScript(ctx, job.deviceId, job.script, job.parameters);
    const done: Partial<JobRecord> = {
      state: 'done', result: out.ok ? 'SUCCESS' : 'FAILURE', offline: out.offline, stdout: out.stdout, stderr: out.stderr, finishedAt: new Date().toISOString(),
    };
    return await ctx.store.patch<JobRecord>(JOB_KIND, uid, done);
  } finally {
    settling.delete(uid);
  }
}

export async function startJob(
  ctx: SandboxContext, system: RmmVendor, device: StoredDevice, deviceUid: string, script: string, parameters: Record<string, string>,
): Promise<JobRecord> {
  const now = Date.now();
  const job: JobRecord = {
    uid: randomUUID(), seq: await ctx.store.nextId(`${JOB_KIND}.seq`), system, deviceId: device.id, deviceUid, clientIdentifier: device.clientIdentifier,
    script, parameters, createdAt: new Date(now).toISOString(), startAt: now + Math.floor(jobMs / 3), completeAt: now + jobMs,
    state: 'queued', result: null, offline: false, stdout: '', stderr: '', finishedAt: null,
    ...(system === 'ninjaone' ? { activityIds: { requested: await ctx.store.nextId(ACTIVITY_SEQ) } } : {}),
  };
  await ctx.store.put(JOB_KIND, job.uid, job, device.clientIdentifier);
  setTimeout(() => {
    settleJob(ctx, job.uid).catch(() => undefined); // the store may be closed (test teardown); readers settle too
  }, jobMs + 5).unref();
  return job;
}

/** Reads a job, completing it first if it is due. */
export async function readJob(ctx: SandboxContext, uid: string): Promise<JobRecord | null> {
  return settleJob(ctx, uid);
}

/** Jobs of one device (both settled and pending), oldest first. */
export async function jobsOfDevice(ctx: SandboxContext, system: RmmVendor, deviceId: number): Promise<JobRecord[]> {
  const jobs = await ctx.store.list<JobRecord>(JOB_KIND, { where: { system, deviceId } });
  const settled = await Promise.all(jobs.map((j) => (j.state === 'done' ? j : settleJob(ctx, j.uid))));
  return settled.filter((j): j is JobRecord => j !== null).sort((a, b) => a.seq - b.seq);
}

const allocating = new Set<string>();

/**
 * Gives the NinjaOne activities a job has reached (STARTED, COMPLETED) their ids the first time they are
 * seen: a poller using `newerThan` then never misses an event that happened after its last read.
 */
export async function withActivityIds(ctx: SandboxContext, job: JobRecord): Promise<JobRecord> {
  const ids = job.activityIds;
  if (!ids || allocating.has(job.uid)) return job;
  const phase = jobPhase(job);
  const needStarted = (phase === 'running' || (phase === 'done' && !job.offline)) && ids.started === undefined;
  const needCompleted = phase === 'done' && ids.completed === undefined;
  if (!needStarted && !needCompleted) return job;
  allocating.add(job.uid);
  try {
    const next = { ...ids };
    if (needStarted) next.started = await ctx.store.nextId(ACTIVITY_SEQ);
    if (needCompleted) next.completed = await ctx.store.nextId(ACTIVITY_SEQ);
    return (await ctx.store.patch<JobRecord>(JOB_KIND, job.uid, { activityIds: next })) ?? job;
  } finally {
    allocating.delete(job.uid);
  }
}
