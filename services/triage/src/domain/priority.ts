import { TicketCategory } from '@desk/contracts';

export const PRIORITY_NAMES: Record<number, string> = { 1: 'Priority 1 - Critical', 2: 'Priority 2 - High', 3: 'Priority 3 - Medium', 4: 'Priority 4 - Low' };

export interface PriorityInput {
  summary: string;
  description: string;
  category: TicketCategory;
  vip: boolean;
  securitySignals: string[];
  alertSeverity: string | null;
  /** How many alerts this ticket stands for (an alert storm is more urgent than one blip). */
  alertCount: number;
}

export interface PriorityResult {
  level: number;
  name: string;
  reasons: string[];
}

const WIDE_IMPACT = /\b(whole (office|floor|team|building|company|site|practice|clinic|shop|plant|department|east side|west side)|entire (office|floor|team|company|site|staff|department)|every(one|body)|all (users|staff|employees|computers|pcs|the (computers|pcs|kiosks|printers|users))|nobody can|no one can|office (is )?down|site (is )?down|company-?wide|all (of us|our)|several (people|users)|multiple (users|people|computers))\b/i;
const BLOCKED = /\b(can'?t work|cannot work|unable to work|completely down|nothing works|patients (are )?waiting|customers (are )?waiting|production (is )?(down|stopped)|line (is )?down|operators can'?t|can'?t check (patients )?in)\b/i;
const URGENT = /\b(urgent|asap|emergency|right now|immediately|critical|deadline|due (today|at|by)|before (the|my|our) (meeting|hearing|deposition|filing|call)|in an hour|this morning|today)\b/i;
const LOW = /\b(no rush|not urgent|whenever|when you (get a chance|have time)|low priority|next week|fyi)\b/i;

/** Impact × urgency (each low/medium/high), then VIP and alert severity adjustments; 1 = critical. */
export function assessPriority(input: PriorityInput): PriorityResult {
  const text = `${input.summary}\n${input.description}`;
  const reasons: string[] = [];
  let impact = 1; // 0 low, 1 single user, 2 many users / business stopped
  let urgency = 1;
  if (WIDE_IMPACT.test(text)) { impact = 2; reasons.push('many users affected'); }
  if (BLOCKED.test(text)) { impact = Math.max(impact, 2); reasons.push('work is blocked'); }
  if (URGENT.test(text)) { urgency = 2; reasons.push('urgent wording'); }
  if (LOW.test(text)) { urgency = 0; reasons.push('requester says it is not urgent'); }
  if (input.category === 'other') impact = Math.min(impact, 1);

  const matrix = [[4, 4, 3], [4, 3, 2], [3, 2, 1]]; // [impact][urgency]
  let level = matrix[impact]![urgency]!;

  const sev = input.alertSeverity?.toLowerCase() ?? null;
  if (sev) {
    const bySeverity = /critical|^c$/.test(sev) ? 1 : /major|high/.test(sev) ? 2 : /moderate|medium/.test(sev) ? 3 : 4;
    level = bySeverity;
    reasons.push(`alert severity ${input.alertSeverity}`);
  }
  if (input.alertCount >= 5) { level = Math.max(1, level - 1); reasons.push(`${input.alertCount} alerts for the same condition`); }
  if (input.category === 'security_incident') {
    const severe = input.securitySignals.some((s) => ['ransomware', 'account_compromise', 'data_exfiltration', 'malware'].includes(s)) || /\b(clicked|entered|typed|put in)\b/i.test(text);
    level = Math.min(level, severe ? 1 : 2);
    reasons.push(severe ? 'security incident with compromise or interaction' : 'security report');
  }
  if (input.vip && level > 1) { level -= 1; reasons.push('VIP contact'); }
  if (reasons.length === 0) reasons.push('single user, normal urgency');
  return { level, name: PRIORITY_NAMES[level]!, reasons };
}
