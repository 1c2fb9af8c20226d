import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The MSP's documented facts about each client that no vendor API carries: who approves what
 * (authorized approvers, managers on file), account kinds, which groups are privileged or self-service
 * and who owns them, device owners, the software catalog and the RMM script library. Kept as JSON the
 * MSP maintains (the demo world's files in the sandbox); live state always comes from the vendors.
 */
const Contact = z.object({
  id: z.union([z.number(), z.string()]).transform(String), firstName: z.string(), lastName: z.string(),
  email: z.string().nullable(), mobile: z.string().nullable(), title: z.string().nullable().default(null), department: z.string().nullable().default(null),
  managerContactId: z.union([z.number(), z.string()]).nullable().transform((v) => (v === null ? null : String(v))),
  authorizedApprover: z.boolean(), vip: z.boolean(), upn: z.string().nullable(), active: z.boolean(),
});
const User = z.object({
  upn: z.string(), displayName: z.string(),
  accountType: z.enum(['member', 'shared_mailbox', 'shared_account', 'service', 'admin']),
  department: z.string().nullable().default(null), accountEnabled: z.boolean(), lockedOut: z.boolean().nullable().default(null),
  passwordLastSet: z.string().nullable().default(null), managerUpn: z.string().nullable(), groups: z.array(z.string()),
  mfaMethods: z.array(z.object({ type: z.string(), detail: z.string().nullable() })).default([]),
});
const Group = z.object({
  name: z.string(), type: z.enum(['security', 'distribution', 'm365']), privileged: z.boolean(),
  selfServiceAllowed: z.boolean(), owners: z.array(z.string()), description: z.string().default(''),
});
const Device = z.object({
  id: z.union([z.number(), z.string()]).transform(String), hostname: z.string(),
  type: z.string(), ownerUpn: z.string().nullable(), online: z.boolean(),
  installedSoftware: z.array(z.object({ name: z.string(), version: z.string().nullable() })).default([]),
  services: z.array(z.object({ name: z.string(), status: z.enum(['running', 'stopped']) })).default([]),
});
const Title = z.object({ name: z.string(), version: z.string().nullable(), approved: z.boolean(), installScript: z.string().nullable() });
export const RegisterClient = z.object({
  identifier: z.string(), domain: z.string(), contacts: z.array(Contact), users: z.array(User), groups: z.array(Group),
  devices: z.array(Device), softwareCatalog: z.array(Title), vpn: z.object({ portal: z.string() }).nullable().default(null),
});
export type RegisterClient = z.infer<typeof RegisterClient>;
const Script = z.object({ name: z.string(), kind: z.enum(['install', 'action']), parameters: z.array(z.string()), description: z.string() });
export type RegisterScript = z.infer<typeof Script>;
const Msp = z.object({ clientFiles: z.array(z.string()), rmmScripts: z.array(Script), alertSender: z.string().nullable().default(null) });

export interface ClientRegister {
  client(identifier: string): RegisterClient | null;
  scripts: RegisterScript[];
  /** The address the MSP's RMM / identity-protection integrations file their alert tickets from. */
  alertSenders: string[];
}

export function loadClientRegister(folder: string): ClientRegister {
  const mspPath = join(folder, 'msp.json');
  if (!existsSync(mspPath)) throw new Error(`client register not found: ${mspPath}`);
  const msp = Msp.parse(JSON.parse(readFileSync(mspPath, 'utf8')));
  const clients = msp.clientFiles.map((f) => RegisterClient.parse(JSON.parse(readFileSync(join(folder, f), 'utf8'))));
  return {
    scripts: msp.rmmScripts,
    alertSenders: msp.alertSender ? [msp.alertSender] : [],
    client: (identifier) => clients.find((c) => c.identifier.toLowerCase() === identifier.toLowerCase()) ?? null,
  };
}
