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

/** Datto RMM alert (the v2 Alert object, as the webhook posts it). */
export const DattoAlertBody = z.object({
  alertUid: z.string().min(1),
  priority: z.string().optional(),
  diagnostics: z.string().optional(),
  resolved: z.boolean().optional(),
  timestamp: z.union([z.string(), z.number()]).optional(),
  alertMessage: z.string().optional(),
  alertContext: z.object({ '@class': z.string() }).passthrough().optional(),
  alertSourceInfo: z.object({ deviceUid: z.string().optional(), deviceName: z.string().optional(), siteUid: z.string().optional(), siteName: z.string().optional() }).optional(),
}).passthrough();

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new IntakeRejection(422, `${what}: ${describeIssues(r.error.issues)}`);
  return r.data;
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
    deviceName: b.deviceName ?? b.device?.systemName ?? b.device?.dnsName ?? b.device?.displayName ?? null,
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
  const condition = b.alertContext?.['@class'] ?? b.alertMessage?.split(/[.:]/)[0];
  if (!condition) throw new IntakeRejection(422, 'Datto RMM alert: alertContext.@class or alertMessage is required');
  return {
    vendor: 'datto',
    alertId: b.alertUid,
    deviceId: b.alertSourceInfo?.deviceUid ?? null,
    deviceName: b.alertSourceInfo?.deviceName ?? null,
    condition,
    severity: b.priority ?? null,
    message: b.alertMessage ?? b.diagnostics ?? condition,
    scope: b.alertSourceInfo?.siteUid ?? null,
    resolved: b.resolved === true,
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
