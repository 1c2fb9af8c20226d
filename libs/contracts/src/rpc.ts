import { z } from 'zod';
import { RunbookCategory } from './catalog';

/** Request/reply over core NATS: only queries that may fail and be retried. */
export const KnowledgeSearchRequestV1 = z.object({
  clientIdentifier: z.string().nullable(),
  query: z.string().min(1).max(4000),
  category: RunbookCategory.nullable().default(null),
  limit: z.number().int().min(1).max(50).default(5),
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
