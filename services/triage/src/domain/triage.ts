import { EscalationReason, EscalationSummary, InboundTicket, TriageResult } from '@desk/contracts';
import { TextClassifier } from './classifier/model';
import { CategoryDecision, decideCategory, SECURITY_CONFIDENCE } from './classify';
import { ClientDirectory } from './entities/directory';
import { resolveEntities, Resolution } from './entities/resolve';
import { buildEscalationSummary } from './escalation';
import { isAfterHours } from './hours';
import { checkInput } from './intake/input-check';
import { CategorySuggester, mergeLlm } from './llm';
import { effectivePolicy, PolicyDocument } from './policy/policy';
import { decideRoute } from './policy/route';
import { assessPriority } from './priority';
import { isAlertText, isHousekeeping } from './rules';
import { screenSecurity } from './security/screen';
import { attachOrOpen, DEFAULT_WINDOWS, duplicateKey, DuplicateWindows, OpenTicketStore, stormKey } from './storm';

/**
 * Group vs distribution list is a fact of the directory, not of wording: when every group the ticket names
 * has one type, that type decides between the two (the confidence becomes the pair's joint probability).
 */
function byGroupType(d: CategoryDecision, r: Resolution, dirs: readonly ClientDirectory[]): CategoryDecision {
  if (d.category !== 'group_membership' && d.category !== 'distribution_list') return d;
  const dir = dirs.find((x) => x.identifier === r.client.client?.identifier);
  const types = new Set(r.entities.filter((e) => e.kind === 'group' && e.ref).map((e) => dir?.groups.find((g) => g.name === e.ref)?.type ?? 'unknown'));
  if (types.size !== 1 || types.has('unknown')) return d;
  const category = types.has('distribution') ? 'distribution_list' : 'group_membership';
  const pair = d.alternatives.filter((a) => a.category === 'group_membership' || a.category === 'distribution_list').reduce((s, a) => s + a.confidence, 0);
  return { ...d, category, confidence: Math.min(0.9999, Math.max(d.confidence, Math.round(pair * 10000) / 10000)) };
}

/**
 * Install vs reinstall is a fact of the inventory: when the title and the target device are known and the
 * inventory lists the device's software, "already installed" means reinstall and "missing" means install.
 */
function byInstallState(d: CategoryDecision, r: Resolution, dirs: readonly ClientDirectory[]): CategoryDecision {
  if (d.category !== 'software_install' && d.category !== 'software_reinstall') return d;
  const dir = dirs.find((x) => x.identifier === r.client.client?.identifier);
  const title = r.entities.find((e) => e.kind === 'software' && e.ref)?.ref;
  const named = r.entities.filter((e) => e.kind === 'device' && e.ref).map((e) => e.ref!.toLowerCase());
  const devices = (dir?.devices ?? []).filter((dev) => named.includes(dev.hostname.toLowerCase()) || (named.length === 0 && r.affected.upn && dev.ownerUpn?.toLowerCase() === r.affected.upn.toLowerCase()));
  if (!title || devices.length !== 1 || !devices[0]!.software?.length) return d;
  const installed = devices[0]!.software!.some((s) => s.toLowerCase() === title.toLowerCase());
  const category = installed ? 'software_reinstall' : 'software_install';
  const pair = d.alternatives.filter((a) => a.category === 'software_install' || a.category === 'software_reinstall').reduce((s, a) => s + a.confidence, 0);
  return { ...d, category, confidence: Math.min(0.9999, Math.max(d.category === category ? d.confidence : 0, Math.round(pair * 10000) / 10000)) };
}

/**
 * What makes two alerts of one device the same problem: the condition and the alert's own first line. A
 * monitor's generic condition name ("Condition", "Service/status_ctx") alone would merge a Wi-Fi alert into
 * an open service alert of the same device; numbers are dropped by the key, so repeats still collapse.
 */
function alertKeyText(condition: string | null, summary: string, description: string, device: string | null): string {
  const first = description.split('\n').find((l) => l.trim()) ?? '';
  const subject = summary.replace(/^\[[^\]]*\]\s*/, '').replace(device ?? '', '');
  return `${condition ?? subject} ${first}`;
}

const WIDE_OUTAGE_CATEGORIES = new Set(['wifi_connectivity', 'vpn_connectivity', 'email_issue']);

export interface TriageDeps {
  model: TextClassifier;
  directories: readonly ClientDirectory[];
  policy: PolicyDocument;
  openTickets: OpenTicketStore;
  llm?: CategorySuggester | null;
  windows?: DuplicateWindows;
}

export interface TriageOutcome {
  result: TriageResult;
  /** Present when a human must take over now (security, out of scope, bad input). */
  escalation: { reason: EscalationReason; reasons: string[]; summary: EscalationSummary; priorityLevel: number; security: boolean } | null;
  transition: 'triaged' | 'escalated' | 'duplicate';
  /** Input normalisation notes (HTML converted, body cut...). */
  notes: string[];
}

/** One ticket in, one decision out. Pure apart from the open-ticket store and the optional LLM; never throws on content. */
export async function triageTicket(ticket: InboundTicket, ticketId: string, deps: TriageDeps): Promise<TriageOutcome> {
  const clean = checkInput(ticket.summary ?? '', ticket.description ?? '');
  const isAlert = isAlertText(clean.summary, ticket.channel, ticket.alert !== null);
  const alertCondition = ticket.alert?.condition ?? null;
  const readable = clean.problem === null || clean.problem === 'oversized' || clean.problem === 'unsupported_language';

  const prelim: CategoryDecision = readable
    ? decideCategory(deps.model, { summary: clean.summary, description: clean.description, channel: ticket.channel, alertCondition, securityIncident: false })
    : { category: 'other', confidence: 0, alternatives: [], classifier: 'rules', rule: 'bad-input' };
  const resolve = (category: CategoryDecision['category']): Resolution => resolveEntities({
    summary: clean.summary, description: clean.description, fromEmail: ticket.fromEmail, fromName: ticket.fromName, contactId: ticket.contactId,
    clientIdentifier: ticket.clientIdentifier, alertDevice: ticket.alert?.deviceName ?? null, alertCondition, isAlert, category,
  }, deps.directories);
  let resolution = resolve(prelim.category);

  // The screen runs on every readable ticket and nothing later can clear it.
  const security = screenSecurity({ summary: clean.summary, description: clean.description, senderOnFile: resolution.requester !== null, privilegedGroups: resolution.privilegedGroups });
  let decision: CategoryDecision = security.incident && readable
    ? { category: 'security_incident', confidence: SECURITY_CONFIDENCE, alternatives: prelim.alternatives, classifier: 'rules', rule: 'security-screen' }
    : prelim;
  if (decision.category === 'security_incident' && !security.flagged) {
    security.flagged = true;
    security.incident = true;
    security.signals = [...security.signals, `classified:${decision.rule ?? decision.classifier}`];
  }
  if (deps.llm && readable && clean.problem === null && !security.flagged && decision.classifier !== 'rules') {
    const merged = mergeLlm(decision, await deps.llm.suggest({ summary: clean.summary, description: clean.description }), security.flagged);
    if (merged.llmSecurity) {
      security.flagged = true;
      security.incident = true;
      security.signals = [...security.signals, 'llm:security_incident'];
    }
    decision = merged.decision;
  }
  if (decision.category !== prelim.category) resolution = resolve(decision.category);
  decision = byGroupType(decision, resolution, deps.directories);
  decision = byInstallState(decision, resolution, deps.directories);

  const dir = resolution.client.client;
  const requester = resolution.requester;
  const priority = assessPriority({
    summary: clean.summary, description: clean.description, category: decision.category, vip: requester?.vip ?? resolution.affected.contact?.vip ?? false,
    securitySignals: security.signals, alertSeverity: ticket.alert?.severity ?? null, alertCount: ticket.alert?.count ?? 1,
  });
  const afterHours = dir ? isAfterHours(ticket.receivedAt, dir.timezone, dir.businessHours) : false;
  const policy = effectivePolicy(deps.policy, dir?.identifier ?? null, decision.category);
  const housekeeping = isHousekeeping(clean.summary, clean.description);
  const { route, escalation } = decideRoute({
    category: decision.category, confidence: decision.confidence, policy, badInput: clean.problem ? clean.notes.join('; ') || clean.problem : null,
    security, clientKnown: dir !== null, requesterOnFile: requester !== null, affectedResolved: resolution.affected.upn !== null,
    affectedAmbiguous: resolution.affected.ambiguous, protectedTarget: resolution.protectedTarget, afterHours,
    housekeeping,
    offlineDevice: resolution.entities.find((e) => (e.kind === 'device') && e.ref && e.note === 'device is offline')?.ref ?? null,
    wideOutage: !isAlert && WIDE_OUTAGE_CATEGORIES.has(decision.category) && priority.reasons.includes('many users affected'),
  });

  // Duplicates and storms: security reports and unreadable tickets always stand on their own.
  let duplicateOf: string | null = null;
  if (!security.flagged && !clean.problem) {
    const w = deps.windows ?? DEFAULT_WINDOWS;
    const alertDevice = ticket.alert?.deviceName ?? (isAlert ? resolution.entities.find((e) => e.kind === 'device' && e.ref)?.ref ?? null : null);
    const attach = isAlert
      ? await attachOrOpen(deps.openTickets, { key: stormKey(dir?.identifier ?? null, alertDevice, alertKeyText(alertCondition, clean.summary, clean.description, alertDevice)), kind: 'storm', ticketId, client: dir?.identifier ?? null, category: decision.category, at: ticket.receivedAt, windowMinutes: w.stormMinutes, alertCount: ticket.alert?.count ?? 1 })
      : await attachOrOpen(deps.openTickets, { key: duplicateKey(dir?.identifier ?? null, resolution.affected.upn ?? requester?.email ?? null, decision.category), kind: 'duplicate', ticketId, client: dir?.identifier ?? null, category: decision.category, at: ticket.receivedAt, windowMinutes: w.duplicateMinutes, alertCount: 1 });
    duplicateOf = attach.duplicateOf;
    if (duplicateOf) route.reasons.push(attach.kind === 'storm' ? `alert storm: ${attach.count} alerts for this device and condition attach to ${duplicateOf}` : `duplicate of open desk ticket ${duplicateOf} (same person and issue)`);
  }

  const result: TriageResult = {
    category: decision.category,
    confidence: decision.confidence,
    alternatives: decision.alternatives,
    classifier: decision.classifier,
    clientIdentifier: dir?.identifier ?? null,
    requester: {
      contactId: requester?.id ?? null, email: requester?.email ?? ticket.fromEmail, name: requester ? `${requester.firstName} ${requester.lastName}` : ticket.fromName,
      upn: requester?.upn ?? null, vip: requester?.vip ?? false,
    },
    affectedUpn: resolution.affected.upn,
    entities: resolution.entities,
    priority,
    security: { flagged: security.flagged, signals: security.signals },
    route,
    duplicateOf,
    afterHours,
    housekeeping: housekeeping && decision.category === 'other' && !security.flagged,
  };
  if (escalation && !duplicateOf) {
    return {
      result,
      escalation: {
        reason: escalation, reasons: route.reasons, priorityLevel: priority.level, security: security.flagged,
        summary: buildEscalationSummary({ ticket, category: decision.category, confidence: decision.confidence, reason: escalation, reasons: route.reasons, resolution, related: [] }),
      },
      transition: 'escalated',
      notes: clean.notes,
    };
  }
  return { result, escalation: null, transition: duplicateOf ? 'duplicate' : 'triaged', notes: clean.notes };
}
