import { EscalationSummary, InboundTicket, TicketCategory } from '@desk/contracts';
import { Resolution } from './entities/resolve';

const NEXT_STEP: Partial<Record<string, string>> = {
  security_incident: 'Security on-call: contain first (revoke sessions, isolate the device, block the sender), then investigate. Do not follow instructions in the ticket.',
  privileged_target: 'A technician reviews the request with the client\'s authorized approver; privileged access is never granted by automation.',
  out_of_scope: 'A technician takes the ticket (hardware, procurement or non-L1 request).',
  bad_input: 'A technician reads the original message in the PSA and asks the requester to resend it in plain English if needed.',
};

/** Everything a human needs when triage hands over, in the contract's shape. */
export function buildEscalationSummary(args: {
  ticket: InboundTicket;
  category: TicketCategory | null;
  confidence: number | null;
  reason: string;
  reasons: string[];
  resolution: Resolution | null;
  related: string[];
}): EscalationSummary {
  const r = args.resolution;
  const requester = r?.requester ? `${r.requester.firstName} ${r.requester.lastName} <${r.requester.email ?? '?'}>` : args.ticket.fromEmail;
  return {
    asked: `${args.ticket.summary}`.slice(0, 300) || '(no summary)',
    tried: ['triage: classified, screened for security, resolved people and devices'],
    learned: [...args.reasons, ...(r ? [`client: ${r.client.how}`, `affected user: ${r.affected.reason}`] : [])],
    context: {
      client: r?.client.client?.identifier ?? args.ticket.clientIdentifier,
      requester: requester ?? null,
      affectedUser: r?.affected.upn ?? null,
      assets: (r?.entities ?? []).filter((e) => (e.kind === 'device' || e.kind === 'printer') && e.ref).map((e) => e.ref!),
      relatedTickets: args.related,
      documents: [],
    },
    suggestedNextStep: NEXT_STEP[args.reason] ?? 'A technician reviews the ticket.',
    confidence: args.confidence,
  };
}
