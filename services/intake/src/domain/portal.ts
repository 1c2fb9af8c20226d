import { z } from 'zod';

export const PortalTicketBody = z.object({
  summary: z.string().trim().min(3).max(200),
  description: z.string().trim().min(1).max(20000),
  fromEmail: z.string().trim().email(),
  fromName: z.string().trim().max(200).nullable().optional(),
  contactId: z.string().trim().max(64).nullable().optional(),
  /** Chat front-ends post through the same API; the channel says which. */
  channel: z.enum(['portal', 'chat']).default('portal'),
}).strict();
export type PortalTicketBody = z.infer<typeof PortalTicketBody>;

export const PortalReplyBody = z.object({
  body: z.string().trim().min(1).max(20000),
  fromEmail: z.string().trim().email(),
}).strict();
export type PortalReplyBody = z.infer<typeof PortalReplyBody>;
