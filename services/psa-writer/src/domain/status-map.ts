import type { TicketPlannedV1 } from '@desk/contracts';

/** Statuses the desk sets, by the name they carry on each board (demo MSP: msp.json boards). */
export const STATUS = {
  awaitingVerification: 'Waiting on Verification',
  awaitingApproval: 'Awaiting Approval',
  inProgress: 'In Progress',
  resolved: 'Resolved',
  waitingOnClient: 'Waiting on Client',
} as const;

export const BOARDS = { serviceDesk: 'Service Desk', escalations: 'Escalations', security: 'Security', alerts: 'Alerts' } as const;

/** The status a planned stage puts the ticket in; null = leave it as it is (a proposal waits for a human). */
export function statusForStage(stage: TicketPlannedV1['stage']): string | null {
  switch (stage) {
    case 'awaiting_verification': return STATUS.awaitingVerification;
    case 'awaiting_approval': return STATUS.awaitingApproval;
    case 'executing': return STATUS.inProgress;
    case 'proposed': return null;
  }
}

/** Where an escalated ticket goes: security incidents to Security at priority 1, the rest to Escalations. */
export function escalationTarget(security: boolean, priorityLevel: number, priorityNames: Record<number, string> = DEFAULT_PRIORITIES): { board: string; priority: string } {
  if (security) return { board: BOARDS.security, priority: priorityNames[1]! };
  return { board: BOARDS.escalations, priority: priorityNames[Math.min(4, Math.max(1, priorityLevel))]! };
}

export const DEFAULT_PRIORITIES: Record<number, string> = {
  1: 'Priority 1 - Critical', 2: 'Priority 2 - High', 3: 'Priority 3 - Medium', 4: 'Priority 4 - Low',
};

/** The board a new PSA ticket is opened on. */
export function boardForNewTicket(channel: string): string {
  return channel === 'alert' ? BOARDS.alerts : BOARDS.serviceDesk;
}
