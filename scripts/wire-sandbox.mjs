// Connects the sandbox's vendors to intake the way an MSP connects its real ones once at install time:
// PSA webhooks (through each PSA's own API), the inbound SMS / mail targets, and the RMM alert webhooks.
// Used by `npm start`; registrations survive a sandbox reset.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

async function post(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`POST ${url} → ${res.status} ${(await res.text()).slice(0, 200)}`);
}

/** Returns the lines to print; throws only when nothing could be wired. */
export async function wireSandbox({ sandboxUrl, intakeUrl, env }) {
  const lines = [];
  const out = execFileSync(process.execPath, [join(root, 'scripts/register-psa-webhooks.mjs'), '--intake', intakeUrl], { env, encoding: 'utf8' });
  lines.push(...out.trim().split('\n').map((l) => `PSA webhook ${l}`));
  await post(`${sandboxUrl}/admin/inbound/targets`, { sms: `${intakeUrl}/inbound/sms`, email: `${intakeUrl}/inbound/email` });
  lines.push(`inbound SMS and mail → ${intakeUrl}/inbound/{sms,email}`);
  const token = env.INTAKE_ALERT_TOKEN || 'sandbox-alert-token-0123456789';
  for (const rmm of ['ninjaone', 'datto']) {
    await post(`${sandboxUrl}/admin/rmm/${rmm}/webhooks`, { url: `${intakeUrl}/alerts/${rmm}`, headers: { 'X-Desk-Alert-Token': token } });
    lines.push(`${rmm} alert webhook → ${intakeUrl}/alerts/${rmm}`);
  }
  return lines;
}
