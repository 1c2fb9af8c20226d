import {
  AutomationHeader, ChildTicketSpec, DocumentRef, IDENTITY_RULES, IdentityRule, RUNBOOK_CATEGORIES, RunbookCategory,
  RunbookResolution, TicketCategory,
} from '@desk/contracts';
import { AutomationBlock, ChildTicketBlock } from './front-matter';
import { HeaderStatus, Scope } from './document';
import { Sections } from './sections';
import { staleness, StalenessPolicy } from './staleness';

/** The part of an indexed document the resolution rule needs. */
export interface ResolvableDoc {
  docId: string;
  scope: Scope;
  clientIdentifier: string | null;
  source: string;
  title: string;
  url: string | null;
  updated: string | null;
  category: RunbookCategory | null;
  headerStatus: HeaderStatus;
  headerErrors: string[];
  automation: AutomationBlock | null;
  childTickets?: ChildTicketBlock[];
  sections: Sections;
}

/** The child tickets the applicable documents ask for, once each (by summary), from valid headers only. */
function childTicketsOf(docs: ResolvableDoc[]): ChildTicketSpec[] {
  const out = new Map<string, ChildTicketSpec>();
  for (const d of docs) {
    if (d.headerStatus !== 'valid') continue;
    for (const c of d.childTickets ?? []) {
      const key = c.summary.toLowerCase();
      if (!out.has(key)) out.set(key, { summary: c.summary, board: c.board ?? null, description: c.description ?? null });
    }
  }
  return [...out.values()];
}

export interface ResolveInput {
  category: TicketCategory;
  clientIdentifier: string | null;
  /** The client's documents (any category; filtered here). */
  clientDocs: ResolvableDoc[];
  /** MSP-wide documents (any category; filtered here). */
  globalDocs: ResolvableDoc[];
  now: Date;
  policy: StalenessPolicy;
}

type Gap = RunbookResolution['gaps'][number];

export function isRunbookCategory(c: string): c is RunbookCategory {
  return (RUNBOOK_CATEGORIES as readonly string[]).includes(c);
}

export function stricter(a: IdentityRule, b: IdentityRule): IdentityRule {
  return IDENTITY_RULES.indexOf(a) >= IDENTITY_RULES.indexOf(b) ? a : b;
}

/** Two allow-lists for the same action: a target must pass both. Null = no list (prose limits targets). */
function intersect(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const keep = new Set(b.map((x) => x.toLowerCase()));
  return a.filter((x) => keep.has(x.toLowerCase()));
}

function toHeader(a: AutomationBlock): AutomationHeader {
  return {
    action: a.action,
    identityVerification: a.identityVerification,
    allowedSoftware: a.allowedSoftware ?? null,
    allowedGroups: a.allowedGroups ?? null,
    allowedServices: a.allowedServices ?? null,
    verify: a.verify,
  };
}

/** Several usable headers for one action: the stricter identity rule and the narrower allow-lists win. */
function mergeSameAction(into: AutomationHeader, next: AutomationHeader): AutomationHeader {
  const verify = [into.verify, next.verify].filter((v): v is string => !!v);
  return {
    action: into.action,
    identityVerification: stricter(into.identityVerification, next.identityVerification),
    allowedSoftware: intersect(into.allowedSoftware, next.allowedSoftware),
    allowedGroups: intersect(into.allowedGroups, next.allowedGroups),
    allowedServices: intersect(into.allowedServices, next.allowedServices),
    verify: [...new Set(verify)].join('; ') || null,
  };
}

const REFERS_TO_STANDARD_ESCALATION = /(MSP standard|MSP-wide|global)[^.\n]{0,80}escalate if/i;

function emptyProse(): RunbookResolution['prose'] {
  return { prerequisites: '', steps: '', escalateIf: '', notes: '' };
}

function labelled(title: string, text: string, many: boolean): string {
  if (!text.trim()) return '';
  return many ? `[${title}]\n${text.trim()}` : text.trim();
}

function join(parts: string[]): string {
  return parts.filter((p) => p.trim()).join('\n\n');
}

function proseOf(docs: ResolvableDoc[], shadowed: ResolvableDoc[]): RunbookResolution['prose'] {
  const many = docs.length > 1;
  const prose = emptyProse();
  prose.prerequisites = join(docs.map((d) => labelled(d.title, join([
    d.sections.appliesTo ? `Applies to: ${d.sections.appliesTo}` : '', d.sections.prerequisites,
  ]), many)));
  prose.steps = join(docs.map((d) => labelled(d.title, join([
    d.sections.steps, d.sections.verification ? `Verification: ${d.sections.verification}` : '',
  ]), many)));
  const escalate = docs.map((d) => labelled(d.title, d.sections.escalateIf, many));
  // A client page that says "anything the MSP standard lists under Escalate if" makes those conditions binding too.
  for (const d of docs) {
    if (!REFERS_TO_STANDARD_ESCALATION.test(d.sections.escalateIf)) continue;
    for (const g of shadowed) {
      if (g.sections.escalateIf) escalate.push(`[Inherited from "${g.title}", referenced by "${d.title}"]\n${g.sections.escalateIf.trim()}`);
    }
  }
  prose.escalateIf = join(escalate);
  const forUser = join(docs.map((d) => labelled(d.title, d.sections.forUser ?? '', many)));
  if (forUser) prose.forUser = forUser;
  prose.notes = join(docs.map((d) => labelled(d.title, join([
    d.sections.notes, ...d.sections.other.map((o) => `${o.heading}: ${o.text}`),
  ]), many)));
  return prose;
}

function byTitle(a: ResolvableDoc, b: ResolvableDoc): number {
  return a.title.localeCompare(b.title) || a.docId.localeCompare(b.docId);
}

/**
 * The resolution rule of the desk: for category C at client X the applicable documents are X's documents
 * of C; only when X has none, the MSP-wide documents of C. A client document replaces every global one of
 * its category even without an automation block (that switches automation off there). Automation comes
 * only from valid, non-stale headers; where documents disagree the stricter rule wins.
 */
export function resolveRunbook(input: ResolveInput): RunbookResolution {
  const { category, clientIdentifier, now, policy } = input;
  if (!isRunbookCategory(category)) {
    return {
      category: null, automations: [], documents: [], prose: emptyProse(), usable: false,
      reasons: [`ticket category ${category} has no runbook category: a technician handles it`], gaps: ['no_runbook'],
    };
  }
  const ofCat = (d: ResolvableDoc) => d.category === category;
  const clientDocs = clientIdentifier === null ? [] : input.clientDocs
    .filter((d) => d.scope === 'client' && d.clientIdentifier?.toLowerCase() === clientIdentifier.toLowerCase() && ofCat(d)).sort(byTitle);
  const globalDocs = input.globalDocs.filter((d) => d.scope === 'global' && ofCat(d)).sort(byTitle);
  const useClient = clientDocs.length > 0;
  const applicable = useClient ? clientDocs : globalDocs;
  const shadowed = useClient ? globalDocs : [];
  const reasons: string[] = [];
  const gaps = new Set<Gap>();
  const who = clientIdentifier ?? 'an unknown client';

  if (applicable.length === 0) {
    return {
      category, automations: [], documents: [], prose: emptyProse(), usable: false,
      reasons: [`no document of category ${category} for ${who}, and no MSP-wide one`], gaps: ['no_runbook'],
    };
  }
  reasons.push(useClient
    ? `${who} has ${clientDocs.length} document(s) of category ${category}; they replace ${shadowed.length} MSP-wide document(s)`
    : `${who} has no document of category ${category}; the MSP-wide standard applies`);

  const documents: DocumentRef[] = [];
  const byAction = new Map<string, AutomationHeader>();
  let anyAutomationBlock = false;
  for (const d of applicable) {
    const why: string[] = [useClient ? `client document of ${category} for ${who}` : `MSP-wide document of ${category}`];
    const age = staleness(d.updated, now, policy);
    if (age.stale) {
      gaps.add('stale');
      const msg = age.ageDays === null
        ? `"${d.title}" has no usable updated date: treated as stale`
        : `"${d.title}" is stale: updated ${d.updated?.slice(0, 10)}, ${age.ageDays} days ago (limit ${policy.staleAfterDays})`;
      why.push('stale');
      reasons.push(msg);
    }
    if (d.headerStatus === 'malformed') {
      gaps.add('malformed_header');
      why.push('header malformed: not usable for automation');
      reasons.push(`"${d.title}" has a malformed automation header (${d.headerErrors.join('; ')}): not used for automation`);
    } else if (d.automation) {
      anyAutomationBlock = true;
      if (age.stale && !policy.automateStale) {
        why.push(`automation ${d.automation.action} not used (stale)`);
      } else {
        why.push(`automation ${d.automation.action} (${d.automation.identityVerification})`);
        const h = toHeader(d.automation);
        const prev = byAction.get(h.action);
        if (prev) reasons.push(`several documents automate ${h.action}: the stricter identity rule and narrower allow-lists apply`);
        byAction.set(h.action, prev ? mergeSameAction(prev, h) : h);
      }
    } else {
      why.push('no automation block: procedure for a technician');
      reasons.push(`"${d.title}" has no automation block: ${category} is not automated ${useClient ? `at ${who}` : 'by the MSP standard'}`);
    }
    documents.push({ docId: d.docId, title: d.title, scope: d.scope, source: d.source, url: d.url, updatedAt: d.updated, why: why.join('; ') });
  }

  // The client's page replaces the global one, but is never allowed to be weaker on identity.
  for (const g of shadowed) {
    if (!g.automation) continue;
    const h = byAction.get(g.automation.action);
    if (!h || stricter(h.identityVerification, g.automation.identityVerification) === h.identityVerification) continue;
    byAction.set(h.action, { ...h, identityVerification: g.automation.identityVerification });
    reasons.push(`identity rule for ${h.action} raised to ${g.automation.identityVerification}: the MSP-wide "${g.title}" is stricter`);
    documents.push({ docId: g.docId, title: g.title, scope: g.scope, source: g.source, url: g.url, updatedAt: g.updated, why: 'replaced, but its stricter identity rule is kept' });
  }
  if (shadowed.length) reasons.push(`replaced MSP-wide document(s): ${shadowed.map((g) => `"${g.title}"`).join(', ')}`);
  if (!anyAutomationBlock && !gaps.has('malformed_header')) gaps.add('no_automation');

  const automations = [...byAction.values()];
  if (automations.length === 0) reasons.push(`no usable automation for ${category} at ${who}`);
  const childTickets = childTicketsOf(applicable);
  return {
    category, automations, documents, prose: proseOf(applicable, shadowed), usable: automations.length > 0, reasons, gaps: [...gaps],
    ...(childTickets.length ? { childTickets } : {}),
  };
}
