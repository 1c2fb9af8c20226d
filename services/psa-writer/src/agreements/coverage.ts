/** An agreement as the desk reads it (PsaClient.listAgreements gives this shape for all three PSAs). */
export interface AgreementView {
  id: string;
  name: string;
  /** Ticket categories (or scope words such as "project_work") the agreement covers. */
  coveredWork: string[];
  active: boolean;
}

/** Kinds of request an MSP agreement usually leaves out: they are quoted and approved separately. */
export type ScopeExclusion = 'project_work' | 'hardware_purchase' | 'software_purchase' | 'onsite_visit';

export interface WorkTypes {
  /** Logged against the agreement: not billed (msp.json "Automation" for the desk's own work). */
  covered: string;
  /** Billed to the client (msp.json "Remote Support"). */
  billable: string;
}

export type CoverageDecision =
  | { kind: 'covered'; agreementId: string; agreementName: string; billable: false; workType: string; reason: string }
  | { kind: 'billable'; agreementId: string | null; billable: true; workType: string; reason: string }
  | { kind: 'out_of_scope'; agreementId: string | null; exclusion: ScopeExclusion; reason: string };

const EXCLUSION_PATTERNS: Array<[ScopeExclusion, RegExp]> = [
  ['hardware_purchase', /\b(buy|purchas\w*|order|quote|procure\w*)\b[^.\n]{0,40}\b(laptops?|pcs?|computers?|monitors?|printers?|servers?|hardware|docks?|docking stations?|keyboards?|headsets?|phones?|switch\w*|firewalls?)\b|\bnew (laptop|pc|computer|monitor|server|hardware)s?\b/i],
  ['software_purchase', /\b(buy|purchas\w*|order|quote)\b[^.\n]{0,40}\b(licen[cs]es?|subscriptions?|seats?)\b/i],
  ['project_work', /\b(project|migrat\w+|rollout|roll out|deploy\w* (a |the )?new|redesign|build (a |the )?new|upgrade (all|every|the whole)|network overhaul)\b/i],
  ['onsite_visit', /\b(on-?site visit|come (in|by|onsite|on site)|send (a|someone|somebody) (over|onsite|on site))\b/i],
];

/** Scope words a request can be about (found in the ticket's text); null = ordinary support. */
export function scopeExclusionOf(text: string): ScopeExclusion | null {
  for (const [kind, re] of EXCLUSION_PATTERNS) if (re.test(text)) return kind;
  return null;
}

const norm = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, '_');

/**
 * How the work on a ticket is billed, from the client's agreements: a category an active agreement
 * covers is logged as covered (not billable); other support is billable; a request of a kind the
 * agreements leave out (project work, purchases) is not the desk's to take on: it escalates with that reason.
 */
export function decideCoverage(input: { category: string | null; text: string }, agreements: AgreementView[], types: WorkTypes): CoverageDecision {
  const active = agreements.filter((a) => a.active);
  const category = input.category ? norm(input.category) : null;
  const exclusion = scopeExclusionOf(input.text);
  if (exclusion) {
    const covering = active.find((a) => a.coveredWork.map(norm).includes(exclusion));
    // An agreement that names the scope (a project block, a hardware-as-a-service plan) takes it in.
    if (covering) return covered(covering, types, `${exclusion.replace('_', ' ')} is covered by "${covering.name}"`);
    const names = active.map((a) => `"${a.name}"`).join(', ') || 'no active agreement';
    return { kind: 'out_of_scope', agreementId: active[0]?.id ?? null, exclusion, reason: `request for ${exclusion.replace('_', ' ')}: outside the scope of ${names}; needs a quote and the client's approval` };
  }
  if (category) {
    const covering = active.find((a) => a.coveredWork.map(norm).includes(category));
    if (covering) return covered(covering, types, `${category} is covered by "${covering.name}"`);
  }
  if (active.length === 0) return { kind: 'billable', agreementId: null, billable: true, workType: types.billable, reason: 'the client has no active agreement: billable' };
  const what = category ?? 'uncategorised work';
  return { kind: 'billable', agreementId: active[0]!.id, billable: true, workType: types.billable, reason: `${what} is not covered by ${active.map((a) => `"${a.name}"`).join(', ')}: billable` };
}

function covered(a: AgreementView, types: WorkTypes, reason: string): CoverageDecision {
  return { kind: 'covered', agreementId: a.id, agreementName: a.name, billable: false, workType: types.covered, reason };
}

/** How a time entry is logged for a coverage decision (what the PsaClient's time entry carries). */
export interface TimeBilling {
  agreementId: string | null;
  billable: boolean;
  workType: string;
  /** One line for the time entry's notes. */
  note: string;
}

export function timeBilling(d: CoverageDecision, types: WorkTypes): TimeBilling {
  switch (d.kind) {
    case 'covered': return { agreementId: d.agreementId, billable: false, workType: d.workType, note: `covered by agreement "${d.agreementName}"` };
    case 'billable': return { agreementId: null, billable: true, workType: d.workType, note: `billable: ${d.reason}` };
    // Outside every agreement: whatever the desk spent on it is billable work.
    case 'out_of_scope': return { agreementId: null, billable: true, workType: types.billable, note: `billable, outside the agreement: ${d.reason}` };
  }
}
