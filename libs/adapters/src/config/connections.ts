import { z } from 'zod';

/**
 * How the desk reaches each vendor. Pointing an adapter at the real vendor is only a change here
 * (base URL + credentials); the sandbox serves the same APIs with demo credentials.
 */
const url = z.string().url();

export const PsaConnection = z.discriminatedUnion('system', [
  z.object({
    system: z.literal('connectwise'),
    /** e.g. https://api-na.myconnectwise.net/v4_6_release/apis/3.0 */
    baseUrl: url,
    companyId: z.string().min(1),
    publicKey: z.string().min(1),
    privateKey: z.string().min(1),
    clientId: z.string().min(1),
    /** Hosts allowed to serve callback signing keys (Metadata.key_url). */
    callbackKeyHosts: z.array(z.string()).default([]),
  }),
  z.object({
    system: z.literal('halopsa'),
    /** e.g. https://acme.halopsa.com — the adapter adds /auth/token and /api. */
    baseUrl: url,
    tenant: z.string().nullable().default(null),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** Basic-auth credentials Halo sends on webhook deliveries. */
    webhookUsername: z.string().min(1),
    webhookPassword: z.string().min(1),
  }),
  z.object({
    system: z.literal('autotask'),
    /** Zone base, e.g. https://webservices5.autotask.net/atservicesrest */
    baseUrl: url,
    apiIntegrationCode: z.string().min(1),
    username: z.string().min(1),
    secret: z.string().min(1),
    /** SecretKey registered on the ticket webhook; signs X-Hook-Signature. */
    webhookSecret: z.string().min(1),
  }),
]);
export type PsaConnection = z.infer<typeof PsaConnection>;

export const DocsConnection = z.discriminatedUnion('system', [
  z.object({ system: z.literal('itglue'), baseUrl: url, apiKey: z.string().min(1), organizationId: z.string().min(1) }),
  z.object({ system: z.literal('hudu'), baseUrl: url, apiKey: z.string().min(1), companyId: z.string().min(1) }),
  z.object({ system: z.literal('confluence'), baseUrl: url, email: z.string().min(1), apiToken: z.string().min(1), spaceKey: z.string().min(1) }),
  z.object({ system: z.literal('markdown'), folder: z.string().min(1) }),
]);
export type DocsConnection = z.infer<typeof DocsConnection>;

export const RmmConnection = z.discriminatedUnion('system', [
  z.object({ system: z.literal('ninjaone'), baseUrl: url, clientId: z.string().min(1), clientSecret: z.string().min(1), organizationId: z.string().min(1) }),
  z.object({ system: z.literal('datto'), baseUrl: url, apiKey: z.string().min(1), apiSecret: z.string().min(1), siteUid: z.string().min(1) }),
]);
export type RmmConnection = z.infer<typeof RmmConnection>;

export const IdentityConnection = z.object({
  system: z.literal('entra'),
  /** Graph base, e.g. https://graph.microsoft.com/v1.0 */
  graphBaseUrl: url,
  /** Token endpoint base, e.g. https://login.microsoftonline.com */
  loginBaseUrl: url,
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
});
export type IdentityConnection = z.infer<typeof IdentityConnection>;

export const NotifyConnection = z.object({
  sms: z.object({ provider: z.literal('twilio'), baseUrl: url, accountSid: z.string().min(1), authToken: z.string().min(1), from: z.string().min(1), statusCallbackUrl: url.nullable().default(null) }).nullable().default(null),
  email: z.discriminatedUnion('provider', [
    z.object({ provider: z.literal('smtp'), host: z.string(), port: z.number().int(), secure: z.boolean().default(false), user: z.string().nullable().default(null), password: z.string().nullable().default(null), from: z.string().min(1) }),
    z.object({ provider: z.literal('graph'), graphBaseUrl: url, loginBaseUrl: url, tenantId: z.string(), clientId: z.string(), clientSecret: z.string(), sender: z.string().min(1) }),
  ]).nullable().default(null),
  teamsWebhookUrl: url.nullable().default(null),
  slackWebhookUrl: url.nullable().default(null),
  pagingWebhook: z.object({ url, secret: z.string().min(1) }).nullable().default(null),
});
export type NotifyConnection = z.infer<typeof NotifyConnection>;
