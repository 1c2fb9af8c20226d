import { CATALOG } from './catalog';
import { Plan, PlanStep } from './plan-types';
import { ContactRecord, phoneTail } from './records';

/** Plain-language texts. Never a secret, never an internal id, never a full phone number. */
export function describeStep(s: PlanStep): string {
  const p = s.params;
  switch (s.action) {
    case 'reset_password': return `reset the password of ${String(p.upn)} (temporary password by SMS to the mobile on file)`;
    case 'unlock_account': return `unlock ${String(p.upn)}${p.domainController ? ` (Unlock-ADAccount on ${String(p.domainController)})` : ''}`;
    case 'reenroll_mfa': return `remove the phone/Authenticator MFA methods of ${String(p.upn)} and revoke sessions`;
    case 'add_to_group': return `add ${String(p.upn)} to ${String(p.group)}`;
    case 'remove_from_group': return `remove ${String(p.upn)} from ${String(p.group)}`;
    case 'add_to_distribution_list': return `add ${String(p.upn)} to the list ${String(p.group)}`;
    case 'install_software': return `install ${String(p.software)} on ${String(p.hostname)} (${String(p.script)})`;
    case 'reinstall_software': return `reinstall ${String(p.software)} on ${String(p.hostname)} (Reinstall-CatalogSoftware)`;
    case 'restart_service': return `restart ${String(p.service)} on ${String(p.hostname)} (Restart-WindowsService)`;
    case 'clear_print_queue': return `clear the queue for ${String(p.printer)} on ${String(p.hostname)} (Clear-PrintQueue)`;
    case 'disable_account': return `disable ${String(p.upn)} and revoke sessions`;
    case 'create_account': return `create ${String(p.upn)} modelled on ${String(p.templateUpn)}`;
  }
}

export function internalPlanNote(plan: Plan, documents: string[], header: string): string {
  const lines = [
    header,
    '',
    'Plan (action catalog, runbook allow-list, client records checked):',
    ...plan.steps.map((s, i) => `${i + 1}. ${describeStep(s)} — risk ${s.risk}; verified by: ${s.check}; calls: ${CATALOG[s.action].calls.join('; ')}`),
    '',
    `Identity rule: ${plan.identity.rule}; requester relation: ${plan.identity.relations.join(', ') || 'n/a'}; approval needed: ${plan.identity.approval.needed ? 'yes' : 'no'}`,
    'Why allowed:',
    ...plan.reasons.map((r) => `- ${r}`),
    '',
    `Runbooks: ${documents.join(', ') || 'n/a'}`,
  ];
  return lines.join('\n');
}

export const name = (c: ContactRecord) => `${c.firstName} ${c.lastName}`;

export function approvalRequestMessage(approvers: ContactRecord[], plan: Plan): string {
  const who = approvers.slice(0, 3).map(name).join(' or ');
  return `Before we go ahead (${plan.steps.map(describeStep).join('; ')}), this request needs written approval from ${who}. `
    + 'Please reply to this ticket with "Approved" from your own mailbox. Nothing changes until then.';
}

/** The approval request as mailed to one approver on file (a reply threads back onto the ticket). */
export function approvalEmail(approver: ContactRecord, requester: ContactRecord | null, summary: string, plan: Plan): { subject: string; body: string } {
  return {
    subject: `Approval needed: ${summary.slice(0, 120)}`,
    body: `Hello ${approver.firstName},\n\n${requester ? name(requester) : 'Someone at your organisation'} asked the Harborline service desk for: ${summary}.\n`
      + `Planned: ${plan.steps.map(describeStep).join('; ')}.\n\n`
      + 'You are on file as someone who can approve this. Reply to this email with "Approved" to let it go ahead, or "Not approved" to stop it. '
      + 'Nothing changes until then.\n\nHarborline service desk',
  };
}

export function codeSentMessage(recipient: ContactRecord, minutes = 15, digits = 6): string {
  return `To confirm it's really you, we sent a ${digits}-digit verification code by text message to the mobile number on file ending ${phoneTail(recipient.mobile ?? '')} `
    + `(${name(recipient)}). Reply to this ticket or to the text with the code within ${minutes} minutes. We will never ask for it by phone.`;
}

export function codeSmsBody(code: string, minutes = 15): string {
  return `Harborline service desk: your verification code is ${code}. It expires in ${minutes} minute${minutes === 1 ? '' : 's'}. Reply with this code to confirm your request. Never share it with anyone who calls you.`;
}

export function retryMessage(left: number): string {
  return `That code did not match. You have ${left} attempt${left === 1 ? '' : 's'} left; please reply with the code from the text message.`;
}
