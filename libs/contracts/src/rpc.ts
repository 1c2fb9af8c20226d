import { z } from 'zod';
import { RunbookCategory, TicketCategory } from './catalog';

/** Request/reply over core NATS: only queries that may fail and be retried. */
export const KnowledgeSearchRequestV1 = z.object({
  clientIdentifier: z.string().nullable(),
  query: z.string().min(1).max(4000),
  /** Hard filter: only documents of this category. */
  category: RunbookCategory.nullable().default(null),
  limit: z.number().int().min(1).max(50).default(5),
  /**
   * Soft steer (added in v1, optional: older callers omit it): triage's category for the ticket and how sure
   * it was. Documents of that category rank higher, strongly when triage is confident, barely when it is not;
   * unlike `category` it never filters, so a wrong guess costs rank, not recall.
   */
  categoryHint: z.object({ category: TicketCategory, confidence: z.number().min(0).max(1) }).nullable().default(null),
});
export type KnowledgeSearchRequestV1 = z.infer<typeof KnowledgeSearchRequestV1>;

export const KnowledgeSearchReplyV1 = z.object({
  hits: z.array(z.object({
    docId: z.string(),
    title: z.string(),
    scope: z.enum(['client', 'global']),
    category: RunbookCategory.nullable(),
    score: z.number(),
    snippet: z.string(),
  })),
});
export type KnowledgeSearchReplyV1 = z.infer<typeof KnowledgeSearchReplyV1>;
