import { z } from 'zod';
import { describeIssues, IntakeRejection } from './rejection';

/** An RMM alert in intake's terms, whatever the vendor's shape. */
export interface NormalisedAlert {
  vendor: 'ninjaone' | 'datto';
  /** The vendor's alert/activity id: the idempotency key of the delivery. */
  alertId: string;
  deviceId: string | null;
  deviceName: string | null;
  condition: string;
  severity: string | null;
  message: string;
  /** Where the vendor says the device lives (Ninja organization id, Datto site uid): maps to the MSP client. */
  scope: string | null;
  resolved: boolean;
  at: string | null;
}

const idLike = z.union([z.string().min(1), z.number()]).transform((v) => String(v));

/** NinjaOne webhook activity (https://…/apidocs: "Webhook" notification channel). */
export const NinjaAlertBody = z.object({
  id: idLike,
  activityTime: z.union([z.number(), z.string()]).optional(),
  deviceId: idLike.optional(),
  seriesUid: z.string().optional(),
  activityType: z.string().optional(),
  statusCode: z.string().optional(),
  status: z.string().optional(),
  activityResult: z.string().optional(),
  sourceConfigUid: z.string().optional(),
  sourceName: z.string().optional(),
  subject: z.string().optional(),
  message: z.string().optional(),
  type: z.string().optional(),
  severity: z.string().optional(),
  priority: z.string().optional(),
  organizationId: idLike.optional(),
  deviceName: z.string().optional(),
  device: z.object({ systemName: z.string().optional(), dnsName: z.string().optional(), displayName: z.string().optional(), organizationId: idLike.optional() }).passthrough().optional(),
  data: z.object({ message: z.object({ code: z.string().optional(), params: z.record(z.string(), z.unknown()).optional() }).passthrough().optional() }).passthrough().optional(),
}).passthrough();

/**
 * Datto RMM alert: either the v2 API Alert object, or the webhook's variable shape (Datto's alert webhook
 * posts `alertuid`, `device_hostname`, `site_uid`, `alert_type`, `alert_message`... as configured).
 */
export const DattoAlertBody = z.object({
  alertUid: z.string().min(1).optional(),
  alertuid: z.string().min(1).optional(),
  priority: z.string().optional(),
  diagnostics: z.string().optional(),
  resolved: z.boolean().optional(),
  timestamp: z.union([z.string(), z.number()]).optional(),
  alertMessage: z.string().optional(),
  alertContext: z.object({ '@class': z.string() }).passthrough().optional(),
  alertSourceInfo: z.object({ deviceUid: z.string().optional(), deviceName: z.string().optional(), siteUid: z.string().optional(), siteName: z.string().optional() }).optional(),
  device_uid: z.string().optional(),
  device_hostname: z.string().optional(),
  site_uid: z.string().optional(),
  alert_type: z.string().optional(),
  alert_category: z.string().optional(),
  alert: z.string().optional(),
  alert_message: z.string().optional(),
  alert_resolved: z.boolean().optional(),
}).passthrough().refine((b) => b.alertUid !== undefined || b.alertuid !== undefined, { message: 'alertUid (or alertuid) is required', path: ['alertUid'] });

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new IntakeRejection(422, `${what}: ${describeIssues(r.error.issues)}`);
  return r.data;
}

function paramString(params: Record<string, unknown> | undefined, key: string): string | null {
  const v = params?.[key];
  return typeof v === 'string' && v ? v : null;
}

function iso(v: string | number | undefined): string | null {
  if (v === undefined) return null;
  // Ninja sends epoch seconds (with fractions); Datto ISO strings or epoch ms.
  const d = typeof v === 'number' ? new Date(v < 1e12 ? v * 1000 : v) : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function normaliseNinja(body: unknown): NormalisedAlert {
  const b = parse(NinjaAlertBody, body, 'NinjaOne alert');
  const condition = b.sourceName ?? b.data?.message?.code ?? b.activityType ?? b.type ?? b.subject;
  if (!condition) throw new IntakeRejection(422, 'NinjaOne alert: one of sourceName, data.message.code, activityType, type or subject is required');
  return {
    vendor: 'ninjaone',
    alertId: b.id,
    deviceId: b.deviceId ?? null,
    deviceName: b.deviceName ?? b.device?.systemName ?? b.device?.dnsName ?? b.device?.displayName ?? paramString(b.data?.message?.params, 'device'),
    condition,
    severity: b.severity ?? b.priority ?? null,
    message: b.message ?? b.subject ?? condition,
    scope: b.organizationId ?? b.device?.organizationId ?? null,
    resolved: (b.status ?? '').toUpperCase() === 'RESET' || (b.activityResult ?? '').toUpperCase() === 'RESET',
    at: iso(b.activityTime),
  };
}

export function normaliseDatto(body: unknown): NormalisedAlert {
  const b = parse(DattoAlertBody, body, 'Datto RMM alert');
  const condition = b.alertContext?.['@class'] ?? (b.alert_type ? `${b.alert_category ? `${b.alert_category}/` : ''}${b.alert_type}` : undefined)
    ?? (b.alertMessage ?? b.alert_message)?.split(/[.:]/)[0];
  if (!condition) throw new IntakeRejection(422, 'Datto RMM alert: alertContext.@class, alert_type or alertMessage is required');
  const message = b.alertMessage ?? b.alert_message ?? b.diagnostics ?? b.alert ?? condition;
  return {
    vendor: 'datto',
    alertId: (b.alertUid ?? b.alertuid)!,
    deviceId: b.alertSourceInfo?.deviceUid ?? b.device_uid ?? null,
    deviceName: b.alertSourceInfo?.deviceName ?? b.device_hostname ?? null,
    // Two alerts of one monitor differ in detail ("Service X is STOPPED" vs "Service Y…"): keep the subject in the condition.
    condition: b.alertContext?.['@class'] && (b.alertContext as Record<string, unknown>)['processName'] ? `${condition}:${String((b.alertContext as Record<string, unknown>)['processName'])}` : condition,
    severity: b.priority ?? null,
    message,
    scope: b.alertSourceInfo?.siteUid ?? b.site_uid ?? null,
    resolved: b.resolved === true || b.alert_resolved === true,
    at: iso(b.timestamp),
  };
}

/** Storm key: the same device and condition at one client is one problem. */
export function stormKey(clientIdentifier: string, a: NormalisedAlert): string {
  return [clientIdentifier.toLowerCase(), a.vendor, (a.deviceId ?? a.deviceName ?? '-').toLowerCase(), a.condition.toLowerCase()].join('|');
}

export function alertSummary(a: NormalisedAlert): string {
  const where = a.deviceName ?? a.deviceId ?? 'unknown device';
  return `[${a.vendor === 'ninjaone' ? 'NinjaOne' : 'Datto RMM'}] ${a.condition} on ${where}`.slice(0, 200);
}
