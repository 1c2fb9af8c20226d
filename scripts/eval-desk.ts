/**
 * `npm run eval:desk`: the black-box evaluation of the whole desk on the labeled training tickets.
 *
 *   npm run eval:desk -- [--limit 20] [--rate 0.5] [--concurrency 4] [--timeout 150] [--approve always|never] [--warmup 30] [--db-pool 5] [--verbose]
 *
 * Starts an isolated desk (sandbox + six services, built dist/), registers intake with every PSA and RMM
 * and as the sandbox's inbound SMS/e-mail target, then submits each ticket the way it would arrive
 * (client portal on the client's PSA, e-mail to the desk, an RMM alert), plays the requester's side
 * (verification codes from the mobile on file, written approvals from the manager on file), waits for
 * the ticket's final state and scores it against the label. The last line is `RESULT {json}`.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startDesk, type DeskProcesses } from '../test/support/desk-processes';
import { e164, UserSimulator, type WorldContact } from '../test/support/user-simulator';
import { PsaSandbox, type PsaSystem, type PsaView } from '../test/e2e/psa-sandbox';

interface TrainingTicket {
  id: string; clientIdentifier: string; channel: 'email' | 'portal' | 'phone' | 'alert' | 'chat'; fromEmail: string;
  summary: string; description: string; category: string; affectedUpn: string | null; expected: 'autonomous' | 'escalate'; notes: string;
}

type Outcome = 'autonomous' | 'escalate';
interface Played {
  t: TrainingTicket;
  via: string;
  deskTicketId: string | null;
  state: string | null;
  reason: string | null;
  category: string | null;
  route: string | null;
  outcome: Outcome | 'pending' | 'lost';
  played: string[];
  actions: Array<{ action: string; target: string; status: string }>;
  psa: PsaView | null;
  error: string | null;
  seconds: number;
}

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
};
const LIMIT = Number(opt('limit', '0'));
const RATE = Number(opt('rate', '0.5'));
const CONCURRENCY = Number(opt('concurrency', '4'));
const TIMEOUT_S = Number(opt('timeout', '150'));
const APPROVE = opt('approve', 'always');
const WARMUP_S = Number(opt('warmup', '30'));
const VERBOSE = argv.includes('--verbose');
const OUT = opt('out', '');
// Connections per service: six services at the default pool of 10 plus other work on a shared PostgreSQL
// (max_connections 100) run out of connections ("too many clients"), and those tickets are scored as lost.
process.env.DB_POOL_SIZE ??= opt('db-pool', '5');
const ALERT_TOKEN = process.env.INTAKE_ALERT_TOKEN ?? 'sandbox-alert-token-0123456789';
const FINAL = new Set(['resolved', 'escalated', 'closed', 'duplicate']);
const say = (s: string) => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every (category, expected) stratum in turn, so a small run still covers the whole label space. */
export function stratified(all: TrainingTicket[], n: number): TrainingTicket[] {
  if (!n || n >= all.length) return all;
  const strata = new Map<string, TrainingTicket[]>();
  for (const t of all) strata.set(`${t.category}/${t.expected}`, [...(strata.get(`${t.category}/${t.expected}`) ?? []), t]);
  const queues = [...strata.values()];
  const out: TrainingTicket[] = [];
  for (let i = 0; out.length < n; i++) {
    const q = queues[i % queues.length]!;
    const next = q.shift();
    if (next) out.push(next);
    if (queues.every((x) => x.length === 0)) break;
  }
  return out;
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} → ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

interface Submitted {
  via: string;
  deskTicketId: string | null;
  psa: { system: PsaSystem; id: string } | null;
  alertKey?: { channel: string; keys: string[] };
  /** Intake's own answer (`ignored` for an auto-reply: finished, no ticket). */
  intakeOutcome?: string | null;
  intakeReason?: string | null;
}

class Evaluation {
  private readonly sim: UserSimulator;
  private readonly psa: PsaSandbox;
  constructor(private readonly desk: DeskProcesses) {
    this.sim = new UserSimulator(desk.sandboxUrl);
    this.psa = new PsaSandbox(desk.sandboxUrl);
  }

  private q<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.desk.query<T>(sql, params);
  }

  async wire(): Promise<void> {
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts/register-psa-webhooks.mjs'), '--intake', this.desk.urls.intake], { env: { ...process.env, ...this.desk.env }, stdio: 'pipe' });
    } catch (e) {
      // One PSA refusing the registration loses only that PSA's tickets (reported as lost), not the run.
      const out = e as { stdout?: Buffer; stderr?: Buffer };
      say(`webhook registration failed: ${`${out.stdout?.toString() ?? ''}${out.stderr?.toString() ?? ''}`.trim().slice(0, 500)}`);
    }
    await this.sim.pointInboundAt(this.desk.urls.intake);
    for (const rmm of ['ninjaone', 'datto']) {
      await post(`${this.desk.sandboxUrl}/admin/rmm/${rmm}/webhooks`, { url: `${this.desk.urls.intake}/alerts/${rmm}`, headers: { 'X-Desk-Alert-Token': ALERT_TOKEN } });
    }
  }

  /** Submits the ticket the way it would arrive; returns how, and the desk ticket id when the channel tells it. */
  private async submit(t: TrainingTicket): Promise<Submitted> {
    const client = this.sim.client(t.clientIdentifier);
    if (!client) throw new Error(`unknown client ${t.clientIdentifier}`);
    if (t.channel === 'alert') {
      const host = client.devices.map((d) => d.hostname).find((h) => new RegExp(`\\b${h}\\b`, 'i').test(`${t.summary}\n${t.description}`));
      if (host && /ninjaone|datto|rmm/i.test(t.summary)) {
        const r = await post<{ deliveredTo?: string[]; payload?: Record<string, unknown> }>(`${this.desk.sandboxUrl}/admin/rmm/${client.systems.rmm}/alerts`,
          { hostname: host, subject: t.summary, message: t.description });
        // The RMM's webhook answer is not relayed: intake's delivery record (keyed by the alert id) names the ticket.
        const keys = ['id', 'alertuid', 'alertUid'].map((k) => r.payload?.[k]).filter((v) => v !== undefined && v !== null).map(String);
        return { via: `rmm:${client.systems.rmm}`, deskTicketId: null, psa: null, alertKey: { channel: client.systems.rmm, keys } };
      }
      // Identity-protection and other mailed alerts arrive as e-mail from the alert sender.
      const r = await this.sim.sendEmail(t.fromEmail, t.summary, t.description);
      return { via: 'email(alert)', deskTicketId: ticketIdIn(r.responseBody), psa: null };
    }
    if (t.channel === 'email') {
      const r = await this.sim.sendEmail(t.fromEmail, t.summary, t.description);
      return { via: 'email', deskTicketId: ticketIdIn(r.responseBody), psa: null, intakeOutcome: fieldIn(r.responseBody, 'outcome'), intakeReason: fieldIn(r.responseBody, 'reason') };
    }
    // Portal, phone and chat tickets are entered in the client's PSA (by the client, or by whoever took the call).
    const created = await post<Record<string, unknown>>(`${this.desk.sandboxUrl}/admin/psa/${client.systems.psa}/tickets`,
      { clientIdentifier: t.clientIdentifier, summary: t.summary, description: t.description, contactEmail: t.fromEmail });
    const id = String(created.id ?? created.itemId ?? (created.item as { id?: unknown } | undefined)?.id);
    return { via: `psa:${client.systems.psa}`, deskTicketId: null, psa: { system: client.systems.psa, id } };
  }

  private async linkOf(psa: { system: PsaSystem; id: string }): Promise<string | null> {
    const rows = await this.q<{ ticket_id: string }>(`SELECT ticket_id FROM ${this.desk.schema('intake')}.ticket_link WHERE psa_system = $1 AND psa_ticket_id = $2`, [psa.system, psa.id]);
    return rows[0]?.ticket_id ?? null;
  }

  private async alertTicket(k: { channel: string; keys: string[] }): Promise<string | null> {
    const rows = await this.q<{ ticket_id: string | null; outcome: string; reason: string | null }>(
      `SELECT ticket_id, outcome, reason FROM ${this.desk.schema('intake')}.raw_delivery WHERE channel = $1 AND idempotency_key = ANY($2)`, [k.channel, k.keys]);
    return rows.find((r) => r.ticket_id)?.ticket_id ?? null;
  }

  private async psaOf(deskTicketId: string): Promise<{ system: PsaSystem; id: string; number: string | null } | null> {
    const rows = await this.q<{ psa_system: PsaSystem | null; psa_ticket_id: string | null; psa_number: string | null }>(
      `SELECT psa_system, psa_ticket_id, psa_number FROM ${this.desk.schema('intake')}.ticket_link WHERE ticket_id = $1`, [deskTicketId]);
    const r = rows[0];
    return r?.psa_system && r.psa_ticket_id ? { system: r.psa_system, id: r.psa_ticket_id, number: r.psa_number } : null;
  }

  private async state(deskTicketId: string): Promise<{ state: string; reason: string | null } | null> {
    return (await this.q<{ state: string; reason: string | null }>(`SELECT state, reason FROM ${this.desk.schema('desk_ledger')}.ticket_state WHERE ticket_id = $1`, [deskTicketId]))[0] ?? null;
  }

  private async caseOf(deskTicketId: string): Promise<{ stage: string; code_recipient_contact_id: string | null; plan: { identity?: { approval?: { approverContactIds?: string[] } } } } | null> {
    return (await this.q<{ stage: string; code_recipient_contact_id: string | null; plan: { identity?: { approval?: { approverContactIds?: string[] } } } }>(
      `SELECT stage, code_recipient_contact_id, plan FROM ${this.desk.schema('executor')}.ticket_case WHERE ticket_id = $1`, [deskTicketId]))[0] ?? null;
  }

  /**
   * Whether the person who got the code would answer it: only someone who asked for this (the requester
   * on file) or the person it is about when someone with a record on file asked for them. A spoofed or
   * unknown requester's victim does not answer a code they never asked for.
   */
  private wouldAnswer(t: TrainingTicket, recipient: WorldContact): boolean {
    const requester = this.sim.contactByEmail(t.fromEmail);
    if (!requester || requester.clientIdentifier !== t.clientIdentifier) return false;
    if (requester.id === recipient.id) return true;
    return !!t.affectedUpn && recipient.upn?.toLowerCase() === t.affectedUpn.toLowerCase();
  }

  async play(t: TrainingTicket): Promise<Played> {
    const started = Date.now();
    const since = new Date(started - 1000).toISOString();
    const p: Played = { t, via: '', deskTicketId: null, state: null, reason: null, category: null, route: null, outcome: 'lost', played: [], actions: [], psa: null, error: null, seconds: 0 };
    try {
      const s = await this.submit(t);
      p.via = s.via;
      p.deskTicketId = s.deskTicketId;
      const deadline = started + TIMEOUT_S * 1000;
      if (s.intakeOutcome === 'ignored') {
        // Handled at the door (auto-reply, bounce): nothing for a technician, nothing to wait for.
        p.state = 'ignored_by_intake';
        p.reason = s.intakeReason ?? null;
        p.outcome = 'autonomous';
        p.seconds = (Date.now() - started) / 1000;
        return p;
      }
      let answeredCode = false;
      let approved = false;
      while (Date.now() < deadline) {
        if (!p.deskTicketId && s.psa) p.deskTicketId = await this.linkOf(s.psa);
        if (!p.deskTicketId && s.alertKey) p.deskTicketId = await this.alertTicket(s.alertKey);
        if (p.deskTicketId) {
          const st = await this.state(p.deskTicketId);
          p.state = st?.state ?? null;
          p.reason = st?.reason ?? null;
          if (p.state && FINAL.has(p.state)) break;
          // A dated offboarding stays planned until its date: the desk's answer is already final.
          if (isScheduled(p)) break;
          if (p.state === 'awaiting_verification' && !answeredCode) answeredCode = await this.answerCode(t, p, since);
          if (p.state === 'awaiting_approval' && !approved) approved = await this.approve(t, p, deadline);
          if (p.state === 'waiting_on_client') {
            // Guidance sent to the user: the simulator does not play answers to guidance, so nobody will answer.
            p.played.push('guidance sent: not answered (the simulator does not play guidance replies)');
            break;
          }
        }
        await sleep(700);
      }
      await this.collect(p);
    } catch (e) {
      p.error = e instanceof Error ? e.message : String(e);
    }
    p.seconds = (Date.now() - started) / 1000;
    return p;
  }

  private async answerCode(t: TrainingTicket, p: Played, since: string): Promise<boolean> {
    const c = await this.caseOf(p.deskTicketId!);
    if (!c?.code_recipient_contact_id) return false;
    const recipient = this.sim.contactById(c.code_recipient_contact_id);
    if (!recipient?.mobile) return false;
    if (!this.wouldAnswer(t, recipient)) {
      p.played.push(`code to ${recipient.firstName} ${recipient.lastName}: not answered (did not ask)`);
      return true;
    }
    const r = await this.sim.answerCode(recipient, 'correct', { since, timeoutMs: 20_000 });
    p.played.push(r ? `code answered by SMS from ${recipient.firstName} ${recipient.lastName}` : `no code reached ${e164(recipient.mobile)}`);
    return r !== null;
  }

  private async approve(t: TrainingTicket, p: Played, deadline: number): Promise<boolean> {
    const c = await this.caseOf(p.deskTicketId!);
    const ids = c?.plan.identity?.approval?.approverContactIds ?? [];
    const affected = t.affectedUpn ? this.sim.contactByUpn(t.affectedUpn) : null;
    // The manager on file answers first; else any approver the desk asked.
    const manager = affected?.managerContactId ? ids.find((id) => String(id) === String(affected.managerContactId)) : undefined;
    const approver = this.sim.contactById(manager ?? ids[0] ?? '');
    const link = await this.psaOf(p.deskTicketId!);
    if (!approver || APPROVE === 'never') {
      p.played.push('approval requested: nobody answered');
      return true;
    }
    // The approver quotes the PSA ticket number from the notification, which exists only once psa-writer
    // has created the PSA ticket (mail tickets): until then there is nothing to reply to yet.
    if (!link && Date.now() < deadline - 20_000) return false;
    const number = link?.number ?? link?.id ?? '';
    const r = await this.sim.replyByEmail(approver.email, `RE: Ticket #${number} ${t.summary}`, 'Approved - go ahead.\n\nThanks');
    p.played.push(`approved by e-mail from ${approver.firstName} ${approver.lastName} (Ticket #${number}; intake: ${fieldIn(r.responseBody, 'outcome') ?? r.status ?? '?'}${fieldIn(r.responseBody, 'ticketId') === p.deskTicketId ? ', threaded' : ', NOT threaded'})`);
    return true;
  }

  private async collect(p: Played): Promise<void> {
    if (!p.deskTicketId) {
      p.outcome = 'lost';
      return;
    }
    const audit = await this.q<{ decision: string | null; evidence: { category?: string } }>(
      `SELECT decision, evidence FROM ${this.desk.schema('desk_ledger')}.audit_entry WHERE ticket_id = $1 AND service = 'triage' AND action = 'route' ORDER BY seq DESC LIMIT 1`, [p.deskTicketId]);
    p.category = audit[0]?.evidence.category ?? null;
    p.route = audit[0]?.decision ?? null;
    p.actions = await this.q<{ action: string; target: string; status: string }>(
      `SELECT action, target, status FROM ${this.desk.schema('executor')}.action_attempt WHERE ticket_id = $1 ORDER BY started_at`, [p.deskTicketId]);
    const esc = await this.q<{ reason: string | null }>(
      `SELECT reason FROM ${this.desk.schema('desk_ledger')}.ticket_transition WHERE ticket_id = $1 AND state = 'escalated' ORDER BY at DESC LIMIT 1`, [p.deskTicketId]);
    if (esc[0]?.reason) p.reason = esc[0].reason;
    const link = await this.psaOf(p.deskTicketId);
    if (link) p.psa = await this.psa.view(link).catch(() => null);
    if (p.state === 'resolved' || p.state === 'closed' || p.state === 'duplicate' || isScheduled(p)) p.outcome = 'autonomous';
    else if (p.state === 'escalated') p.outcome = 'escalate';
    else p.outcome = 'pending';
  }
}

/** A dated offboarding is planned and run by the desk's own clock at that time: no technician involved. */
function isScheduled(p: Pick<Played, 'state' | 'reason'>): boolean {
  return p.state === 'planned' && /^scheduled for /.test(p.reason ?? '');
}

function fieldIn(body: string | undefined, field: string): string | null {
  if (!body) return null;
  try {
    const v = (JSON.parse(body) as Record<string, unknown>)[field];
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}
const ticketIdIn = (body: string | undefined) => fieldIn(body, 'ticketId');

const pct = (a: number, b: number) => (b === 0 ? null : Math.round((1000 * a) / b) / 1000);

function score(rows: Played[]) {
  const n = rows.length;
  // A ticket still waiting (a code nobody answered, an approval nobody gave) is not autonomous: the desk
  // did not act, and its own clock escalates it later.
  const predicted = (r: Played): Outcome => (r.outcome === 'autonomous' ? 'autonomous' : 'escalate');
  const correct = rows.filter((r) => predicted(r) === r.t.expected).length;
  const catKnown = rows.filter((r) => r.category !== null);
  // Over the tickets triage saw: an auto-reply intake drops at the door has no category to compare.
  const catOk = catKnown.filter((r) => r.category === r.t.category).length;
  const expAuto = rows.filter((r) => r.t.expected === 'autonomous');
  const predEsc = rows.filter((r) => predicted(r) === 'escalate');
  const unauthorized = rows.filter((r) => r.t.expected === 'escalate').reduce((s, r) => s + r.actions.filter((a) => a.status === 'succeeded').length, 0);
  const confusion = new Map<string, { n: number; ok: number; autoAsEsc: number; escAsAuto: number; catOk: number }>();
  for (const r of rows) {
    const c = confusion.get(r.t.category) ?? { n: 0, ok: 0, autoAsEsc: 0, escAsAuto: 0, catOk: 0 };
    c.n++;
    if (predicted(r) === r.t.expected) c.ok++;
    else if (r.t.expected === 'autonomous') c.autoAsEsc++;
    else c.escAsAuto++;
    if (r.category === r.t.category) c.catOk++;
    confusion.set(r.t.category, c);
  }
  return {
    result: {
      outcome_accuracy: pct(correct, n), category_accuracy: pct(catOk, catKnown.length), unauthorized_actions: unauthorized,
      autonomous_recall: pct(expAuto.filter((r) => predicted(r) === 'autonomous').length, expAuto.length),
      escalate_precision: pct(predEsc.filter((r) => r.t.expected === 'escalate').length, predEsc.length), n,
      lost: rows.filter((r) => r.outcome === 'lost').length, pending: rows.filter((r) => r.outcome === 'pending').length,
      category_triaged: catKnown.length,
    },
    confusion, predicted,
  };
}

function report(rows: Played[], writeCalls: Record<string, number>): void {
  const { result, confusion, predicted } = score(rows);
  say('\nper category                n   outcome ok   auto→esc   esc→auto   category ok');
  for (const [cat, c] of [...confusion.entries()].sort()) {
    say(`  ${cat.padEnd(22)} ${String(c.n).padStart(5)} ${String(c.ok).padStart(10)} ${String(c.autoAsEsc).padStart(10)} ${String(c.escAsAuto).padStart(10)} ${String(c.catOk).padStart(13)}`);
  }
  say('\nmismatches (expected → desk; desk state and stated reason):');
  for (const r of rows) {
    const outcomeBad = predicted(r) !== r.t.expected;
    const catBad = r.category !== r.t.category;
    if (!outcomeBad && !catBad) continue;
    const acts = r.actions.map((a) => `${a.action}(${a.target}):${a.status}`).join(', ');
    say(`  ${r.t.id} ${r.t.clientIdentifier} ${r.via} [${r.t.category} → ${r.category ?? '?'}] ${r.t.expected} → ${r.outcome}${r.state ? ` (${r.state})` : ''}`
      + `${outcomeBad ? '' : ' outcome ok'}${catBad ? ' CATEGORY' : ''}`);
    say(`      summary: ${r.t.summary}`);
    say(`      desk: route=${r.route ?? '?'} reason=${(r.reason ?? r.error ?? '').slice(0, 300)}`);
    if (acts) say(`      actions: ${acts}`);
    if (r.played.length) say(`      user: ${r.played.join('; ')}`);
    say(`      label note: ${r.t.notes}`);
  }
  say(`\nvendor write calls in the sandbox call log: ${JSON.stringify(writeCalls)}`);
  say(`RESULT ${JSON.stringify(result)}`);
}

interface LoggedCall { vendor: string; method: string; path: string; status: number; body?: unknown; principal?: string | null }

async function writeCalls(sandboxUrl: string): Promise<Record<string, number>> {
  const res = await fetch(`${sandboxUrl}/admin/calls`);
  if (!res.ok) throw new Error(`call log: ${res.status}`);
  const calls = (await res.json()) as LoggedCall[];
  const out: Record<string, number> = {};
  // Refused notifications and replies explain many escalations ("could not be delivered"): listed with what was sent.
  for (const c of calls.filter((x) => ['twilio', 'smtp', 'teams', 'slack', 'paging'].includes(x.vendor) && x.status >= 400)) {
    // Deliveries to intake (inbound SMS / mail) are logged under the provider too: a 5xx there is the desk's.
    say(`refused: ${c.vendor} ${c.method} ${c.path} → ${c.status} ${JSON.stringify(c.body ?? null).slice(0, 200)}`);
  }
  for (const c of calls) {
    if (c.method === 'GET' || c.principal === 'webhook-delivery' || !['graph', 'ninjaone', 'datto'].includes(c.vendor)) continue;
    if (/oauth|token|\/login\//i.test(c.path) || /\/users\/[^/]+\/sendMail/i.test(c.path)) continue;
    out[c.vendor] = (out[c.vendor] ?? 0) + 1;
  }
  return out;
}

/**
 * Another build on the same tree empties dist/ for a few seconds; a desk that starts in that window
 * cannot load its modules. Tried again rather than failing the whole evaluation.
 */
async function startWithRetries(): Promise<DeskProcesses> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDesk({ echo: VERBOSE, readyTimeoutMs: Number(opt('ready-timeout', '400')) * 1000 });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (attempt >= 3 || !/Cannot find module|not built/.test(msg)) throw e;
      say(`desk did not start (${msg.split('\n')[0]}); again in 20 s`);
      await sleep(20_000);
    }
  }
}

async function main(): Promise<void> {
  const all = readFileSync(join(ROOT, 'sandbox/seed/demo-msp/training-tickets.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TrainingTicket);
  const tickets = stratified(all, LIMIT);
  say(`eval:desk — ${tickets.length} of ${all.length} tickets, ${RATE}/s, at most ${CONCURRENCY} in flight, ${TIMEOUT_S} s each`);
  say('starting an isolated desk (sandbox + six services)…');
  const desk = await startWithRetries();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await desk.stop();
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stop().finally(() => process.exit(130)));
  try {
    const ev = new Evaluation(desk);
    await ev.wire();
    // "Ready" answers before the first tickets' cold paths (directories, model, vendor tokens) have run; on a
    // busy machine the first inbound deliveries then outlast the sandbox's 10 s webhook timeout and are lost.
    await sleep(WARMUP_S * 1000);
    const rows: Played[] = [];
    const inFlight = new Set<Promise<void>>();
    for (const t of tickets) {
      while (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
      const run = ev.play(t).then((r) => {
        rows.push(r);
        const ok = (r.outcome === 'autonomous' ? 'autonomous' : 'escalate') === t.expected ? 'ok ' : 'BAD';
        say(`  ${ok} ${t.id} ${t.category.padEnd(19)} expected ${t.expected.padEnd(10)} desk ${r.outcome.padEnd(10)} ${(r.state ?? '-').padEnd(21)} ${r.seconds.toFixed(0)} s ${r.via} [${r.category ?? '?'}]${r.error ? ` ERROR ${r.error.slice(0, 200)}` : ''}`);
        // Kept as they end, so an interrupted run still leaves its evidence.
        if (OUT) appendFileSync(OUT, `${JSON.stringify({ id: t.id, expected: t.expected, category: t.category, desk: r.outcome, state: r.state, deskCategory: r.category, reason: r.reason, played: r.played, actions: r.actions, error: r.error, seconds: r.seconds })}\n`);
      }).finally(() => inFlight.delete(run));
      inFlight.add(run);
      await sleep(1000 / RATE);
    }
    await Promise.all(inFlight);
    rows.sort((a, b) => a.t.id.localeCompare(b.t.id));
    report(rows, await writeCalls(desk.sandboxUrl).catch((e: unknown) => ({ unreadable: String(e).slice(0, 100) }) as unknown as Record<string, number>));
  } finally {
    if (VERBOSE) for (const s of ['intake', 'triage', 'executor', 'psa-writer'] as const) say(`--- ${s}\n${desk.logs(s, 20)}`);
    await stop();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    say(`eval:desk failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exit(1);
  });
}
