import { ActionDraft, DraftContext } from './planner';
import { Escalation, escalate } from './plan-types';
import { relations } from './authority';
import { allowed, refs, resolveDevice, resolveService, resolveTitles, softwareAllowed } from './targets';
import { bullets, expandHostRanges, hostPrefixLimit, mentions } from './prose';
import { DeviceRecord, RmmScriptDef, deviceByHostname, lc, userOf } from './records';

const DAY_MS = 24 * 3600 * 1000;

/** install_software, reinstall_software, restart_service, clear_print_queue. */
export function planDeviceAction(ctx: DraftContext): ActionDraft | Escalation {
  switch (ctx.action) {
    case 'restart_service': return planRestart(ctx);
    case 'clear_print_queue': return planPrintQueue(ctx);
    default: return planSoftware(ctx);
  }
}

function isDomainController(ctx: DraftContext, d: DeviceRecord): boolean {
  return (ctx.snapshot.domainController !== null && lc(ctx.snapshot.domainController) === lc(d.hostname))
    || /(?:^|-)DC\d*$/i.test(d.hostname)
    || d.services.some((s) => /^(?:NTDS|ADWS|Netlogon)$/i.test(s.name));
}

/** Requesters act on their own devices; shared devices need an authorized approver. Alerts carry no requester. */
function deviceAuthority(ctx: DraftContext, d: DeviceRecord): Escalation | null {
  const r = ctx.requester;
  if (!r) return ctx.ticket.channel === 'alert' && ctx.rule === 'none' ? null : escalate('not_authorized', 'the requester is unknown');
  if (d.ownerUpn && r.upn && lc(d.ownerUpn) === lc(r.upn)) return null;
  if (r.authorizedApprover) return null;
  const owner = d.ownerUpn ? userOf(ctx.snapshot, d.ownerUpn) : null;
  if (owner && relations(ctx.snapshot, r, owner).has('manager')) return null;
  return escalate('not_authorized', d.ownerUpn
    ? `${d.hostname} belongs to someone else; only its owner, their manager or an authorized approver may ask`
    : `${d.hostname} is a shared device; changes on it are asked for by an authorized approver`);
}

function recentlyDone(ctx: DraftContext, target: string): boolean {
  return ctx.recent.some((r) => r.action === ctx.action && lc(r.target) === lc(target) && ctx.now.getTime() - Date.parse(r.at) < DAY_MS);
}

function namedInEscalateIf(ctx: DraftContext, terms: string[], exceptWith: string | null = null): Escalation | null {
  const text = expandHostRanges(ctx.escalateIf);
  for (const b of bullets(text)) {
    if (!terms.some((t) => mentions(b, t))) continue;
    // "Kiosks get nothing but ShopFloor MES Client": naming the very title with "nothing but/only" allows it.
    if (exceptWith && mentions(b, exceptWith) && /\b(?:nothing but|only)\b/i.test(b) && !/\bnever\b/i.test(b.split(/[.;]/).find((s) => mentions(s, exceptWith)) ?? '')) continue;
    return escalate('target_not_allowed', `the runbook's "Escalate if" covers this: ${b}`);
  }
  return null;
}

function planSoftware(ctx: DraftContext): ActionDraft | Escalation {
  const device = resolveDevice(ctx.ticket, ctx.triage, ctx.snapshot, { printerOk: false });
  if ('kind' in device) return device;
  const repair = ctx.action === 'reinstall_software';
  const titles = resolveTitles(ctx.triage, ctx.snapshot, ctx.headers, device, repair, ctx.text);
  if ('kind' in titles) return titles;
  if (device.type === 'server' || device.type === 'printer' || device.type === 'firewall') return escalate('target_not_allowed', `${device.hostname} is a ${device.type}: never a software target for the desk`);
  if (!device.online) return escalate('action_failed', `${device.hostname} is offline in the RMM; nothing can run until it is back`);
  const auth = deviceAuthority(ctx, device);
  if (auth) return auth;
  const steps: ActionDraft['steps'] = [];
  const reasons = [`${device.hostname} is online and belongs to the client`];
  for (const title of titles) {
    const onList = softwareAllowed(ctx.headers, title.name, ctx.snapshot.catalog.map((t) => t.name));
    if (onList === false) return escalate('target_not_allowed', `${title.name} is not on the runbook's allow-list`);
    const named = namedInEscalateIf(ctx, [title.name, device.hostname], title.name);
    if (named) return named;
    const prefixes = hostPrefixLimit(ctx.prose, title.name);
    if (prefixes && !prefixes.some((p) => lc(device.hostname).startsWith(p))) return escalate('target_not_allowed', `${title.name} is only for ${prefixes.map((p) => p.toUpperCase() + '*').join(', ')} devices`);
    const installed = device.installedSoftware.some((s) => lc(s.name) === lc(title.name));
    reasons.push(`${title.name} is approved in the catalog${onList ? ' and on the allow-list' : ''}`);
    if (!repair) {
      if (installed) return escalate('other', `${title.name} is already installed on ${device.hostname}; a repair is a different procedure`);
      const script = ctx.snapshot.scripts.find((s) => s.name === title.installScript);
      if (!script) return escalate('target_not_allowed', `${title.name} has no install script in the RMM library`);
      const args = scriptArgs(ctx, script);
      if ('kind' in args) return args;
      steps.push({ action: 'install_software', params: { hostname: device.hostname, deviceId: device.id, software: title.name, script: script.name, version: title.version, args } });
    } else {
      if (!installed) return escalate('other', `${title.name} is not installed on ${device.hostname}: that is a new install, not a repair`);
      steps.push({ action: 'reinstall_software', params: { hostname: device.hostname, deviceId: device.id, software: title.name, version: title.version } });
    }
  }
  return draft(ctx, device, steps, reasons);
}

/** Script parameters the desk can fill from records; a licence key or serial needs a technician. */
function scriptArgs(ctx: DraftContext, script: RmmScriptDef): string[] | Escalation {
  const args: string[] = [];
  for (const p of script.parameters) {
    let v: string | null = null;
    if (p === 'portal') v = ctx.snapshot.vpnPortal;
    else if (p === 'server' || p === 'licenseServer') v = /\b([A-Z]{2,4}-[A-Z0-9]+(?:-[A-Z0-9]+)*)\b/.exec(script.description)?.[1] ?? null;
    else if (p === 'channel') v = 'MonthlyEnterprise';
    if (!v) return escalate('out_of_scope', `${script.name} needs "${p}", which only a technician can provide (licence, serial or seat)`);
    args.push(`${p}=${v}`);
  }
  return args;
}

function planRestart(ctx: DraftContext): ActionDraft | Escalation {
  const device = resolveDevice(ctx.ticket, ctx.triage, ctx.snapshot, { printerOk: false });
  if ('kind' in device) return device;
  const service = resolveService(ctx.ticket, ctx.triage, ctx.headers);
  if (typeof service !== 'string') return service;
  const onList = allowed(ctx.headers, (h) => h.allowedServices, service);
  if (onList !== true) return escalate('target_not_allowed', `service ${service} is not on the runbook's allow-list`);
  const known = device.services.find((s) => lc(s.name) === lc(service));
  if (!known) return escalate('target_not_allowed', `${service} is not a service on ${device.hostname}`);
  if (isDomainController(ctx, device)) return escalate('target_not_allowed', `${device.hostname} is a domain controller: never restarted by the desk`);
  if (!device.online) return escalate('action_failed', `${device.hostname} is offline in the RMM; nothing can be run remotely`);
  const named = namedInEscalateIf(ctx, [device.hostname]);
  if (named) return named;
  if (recentlyDone(ctx, `${device.hostname}>${known.name}`)) return escalate('other', `${known.name} was already restarted on ${device.hostname} in the last 24 hours (restart loop)`);
  if (ctx.requester) {
    const auth = deviceAuthority(ctx, device);
    if (auth && device.ownerUpn) return auth;
  }
  return draft(ctx, device, [{ action: 'restart_service', params: { hostname: device.hostname, deviceId: device.id, service: known.name } }], [`${known.name} is on the allow-list and runs on ${device.hostname}`, `${device.hostname} is online, not a domain controller`]);
}

function planPrintQueue(ctx: DraftContext): ActionDraft | Escalation {
  const printers = [...refs(ctx.triage, 'printer'), ...refs(ctx.triage, 'device')]
    .map((h) => deviceByHostname(ctx.snapshot, h)).filter((d): d is DeviceRecord => d !== null && d.type === 'printer');
  const unique = printers.filter((p, i) => printers.findIndex((x) => x.id === p.id) === i);
  if (unique.length > 1) return escalate('bad_input', 'several printers named');
  // No printer named: Clear-PrintQueue clears every queue on the computer that holds them.
  const printer = unique[0] ?? null;
  if (printer && !printer.online) return escalate('action_failed', `printer ${printer.hostname} is offline in the RMM`);
  if (/\b(?:jam(?:med)?|toner|fuser|tray|call for service|service code|paper)\b/i.test(ctx.text)) return escalate('out_of_scope', 'the printer reports a hardware condition, not a queue problem');
  const holder = resolveDevice(ctx.ticket, ctx.triage, ctx.snapshot, { printerOk: false });
  if ('kind' in holder) return holder;
  if (!holder.online) return escalate('action_failed', `${holder.hostname} (holding the queue) is offline in the RMM`);
  if (!holder.services.some((s) => lc(s.name) === 'spooler')) return escalate('target_not_allowed', `${holder.hostname} runs no print spooler`);
  if (isDomainController(ctx, holder)) return escalate('target_not_allowed', `${holder.hostname} is a domain controller`);
  const auth = deviceAuthority(ctx, holder);
  if (auth && holder.ownerUpn) return auth;
  if (!ctx.requester && ctx.ticket.channel !== 'alert') return escalate('not_authorized', 'the requester is unknown');
  return draft(ctx, holder, [{ action: 'clear_print_queue', params: { hostname: holder.hostname, deviceId: holder.id, printer: printer?.hostname ?? '' } }], [printer ? `${printer.hostname} is a printer of this client and online` : 'no printer named: every queue on the computer', `queue on ${holder.hostname}`]);
}

function draft(ctx: DraftContext, device: DeviceRecord, steps: ActionDraft['steps'], reasons: string[]): ActionDraft {
  const owner = device.ownerUpn ? userOf(ctx.snapshot, device.ownerUpn) : null;
  const rels = relations(ctx.snapshot, ctx.requester, owner);
  const approvalFrom = ctx.rule === 'manager_approval' && !rels.has('manager') && !rels.has('approver')
    ? approverList(ctx, owner)
    : [];
  return { steps, affectedUpn: owner?.upn ?? null, relations: rels, approvalFrom, codeRecipient: ctx.requester, secretRecipient: null, reasons };
}

function approverList(ctx: DraftContext, owner: ReturnType<typeof userOf>) {
  return ctx.snapshot.contacts.filter((c) => c.active && (c.authorizedApprover || (owner !== null && c.upn !== null && lc(c.upn) === lc(owner.managerUpn))));
}

