// CPU time spent per ticket, per process: the desk's processes (the start-desk tree), the PostgreSQL
// backends serving them (application_name starts with the run's schema prefix), the NATS server (shared
// with anything else using it: an upper bound) and the whole machine. On a shared machine wall-clock
// throughput depends on what else runs; CPU seconds per ticket do not, and give the ceiling:
// cores / (CPU seconds per ticket).
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';

const CLK_TCK = 100;

function stat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / CLK_TCK };
  } catch {
    return null;
  }
}

function cmdline(pid) {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '); } catch { return ''; }
}

function pids() {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

function descendants(root) {
  const parent = new Map();
  for (const p of pids()) { const s = stat(p); if (s) parent.set(p, s.ppid); }
  const out = [];
  for (const p of parent.keys()) {
    for (let q = p; q && q !== 1; q = parent.get(q)) if (q === root) { out.push(p); break; }
  }
  return out;
}

function label(pid) {
  const c = cmdline(pid);
  const m = /services\/([a-z-]+)\/dist\/main\.js/.exec(c);
  if (m) return m[1];
  if (/sandbox\/dist\/main\.js/.test(c)) return 'sandbox';
  return /start-desk/.test(c) ? 'start-desk' : `pid ${pid}`;
}

function machineBusy() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  return { busy: (f.reduce((a, b) => a + b, 0) - idle) / CLK_TCK };
}

export const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

/**
 * sample() → Map label → CPU seconds so far; diff(a, b) → per label. Labels: each desk process, `postgres`
 * (the run's backends), `nats-server`, `machine` (every process on the box, for context).
 */
export class CpuMeter {
  constructor({ rootPid, databaseUrl, appPrefix }) {
    Object.assign(this, { rootPid, databaseUrl, appPrefix });
    this.nats = pids().filter((p) => /nats-server/.test(cmdline(p)));
  }

  async sample() {
    const out = new Map();
    if (this.rootPid) for (const p of descendants(this.rootPid)) { const s = stat(p); if (s) out.set(label(p), (out.get(label(p)) ?? 0) + s.cpu); }
    if (this.appPrefix) {
      const c = new pg.Client({ connectionString: this.databaseUrl });
      await c.connect();
      try {
        const r = await c.query(`SELECT pid FROM pg_stat_activity WHERE starts_with(application_name, $1)`, [this.appPrefix]);
        let pgCpu = 0;
        for (const { pid } of r.rows) pgCpu += stat(pid)?.cpu ?? 0;
        out.set('postgres', pgCpu);
      } finally {
        await c.end();
      }
    }
    out.set('nats-server', this.nats.reduce((a, p) => a + (stat(p)?.cpu ?? 0), 0));
    out.set('machine', machineBusy().busy);
    return out;
  }

  /** CPU seconds spent between two samples, per label (labels absent at the start count from 0). */
  static diff(a, b) {
    const out = {};
    for (const [k, v] of b) out[k] = Math.max(0, v - (a.get(k) ?? 0));
    return out;
  }
}

/** "cpu per ticket" lines and the ceiling they imply on this machine's cores. */
export function cpuReport(spent, tickets, seconds) {
  const cores = availableParallelism();
  const rows = Object.entries(spent).filter(([k]) => k !== 'machine').sort((x, y) => y[1] - x[1]);
  const deskCpu = rows.reduce((a, [, v]) => a + v, 0);
  const perTicketMs = (deskCpu / Math.max(1, tickets)) * 1000;
  return {
    cores,
    per_ticket_ms: perTicketMs,
    ceiling_tickets_per_s: perTicketMs > 0 ? (cores * 1000) / perTicketMs : null,
    machine_busy_share: spent.machine !== undefined ? spent.machine / (cores * seconds) : null,
    desk_busy_share: deskCpu / (cores * seconds),
    rows: rows.map(([k, v]) => ({ process: k, cpu_s: v, per_ticket_ms: (v / Math.max(1, tickets)) * 1000 })),
  };
}
