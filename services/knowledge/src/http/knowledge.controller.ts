import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Inject, Post, Query, UnauthorizedException } from '@nestjs/common';
import { z } from 'zod';
import { RunbookCategory, TicketCategory } from '@desk/contracts';
import { KnowledgeApp } from '../app/knowledge-app';
import { KNOWLEDGE_APP, KNOWLEDGE_ENV, KnowledgeEnv } from '../config';

const SyncBody = z.object({
  mode: z.enum(['full', 'incremental']).default('incremental'),
  /** One client only (null = the global scope); absent = every scope. */
  client: z.string().min(1).nullable().optional(),
  /** Accept a sync that deletes more than the configured share of a scope's documents. */
  force: z.boolean().default(false),
});

const SearchQuery = z.object({
  client: z.string().min(1).optional(),
  q: z.string().min(1).max(4000),
  category: RunbookCategory.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(5),
  /** Triage's category for the ticket and its confidence: a soft steer (see KnowledgeSearchRequestV1.categoryHint). */
  hint: TicketCategory.optional(),
  hintConfidence: z.coerce.number().min(0).max(1).default(1),
});

const ResolveQuery = z.object({ client: z.string().min(1).optional(), category: TicketCategory });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new BadRequestException(r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

/** The knowledge HTTP API: on-demand sync, sync status, the gap report, search and resolution for people. */
@Controller()
export class KnowledgeController {
  constructor(@Inject(KNOWLEDGE_APP) private readonly app: KnowledgeApp, @Inject(KNOWLEDGE_ENV) private readonly env: KnowledgeEnv) {}

  @Post('sync')
  @HttpCode(200)
  async sync(@Body() body: unknown, @Headers('authorization') auth?: string) {
    if (this.env.KNOWLEDGE_ADMIN_TOKEN && auth !== `Bearer ${this.env.KNOWLEDGE_ADMIN_TOKEN}`) throw new UnauthorizedException();
    const req = parse(SyncBody, body);
    const reports = await this.app.sync.syncAll(req.mode, { ...(req.client !== undefined ? { clientIdentifier: req.client } : {}), force: req.force });
    await this.app.gaps.refreshMetrics();
    return { ok: reports.every((r) => r.ok), reports };
  }

  @Get('sync')
  async status() {
    return { scopes: await this.app.syncStore.all(this.app.db), recentRuns: await this.app.syncStore.recentRuns(this.app.db, 50) };
  }

  @Get('gaps')
  async gaps(@Query('client') client?: string) {
    const rows = await this.app.gaps.report(client || undefined);
    return { client: client ?? null, gaps: rows };
  }

  @Get('search')
  async search(@Query() query: unknown) {
    const q = parse(SearchQuery, query);
    return { hits: await this.app.search.search({ clientIdentifier: q.client ?? null, query: q.q, category: q.category ?? null, limit: q.limit,
      categoryHint: q.hint ? { category: q.hint, confidence: q.hintConfidence } : null }, 'http') };
  }

  @Get('resolve')
  async resolve(@Query() query: unknown) {
    const q = parse(ResolveQuery, query);
    return this.app.resolver.resolve(q.category, q.client ?? null);
  }
}
