import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { KnowledgeSearchReplyV1, KnowledgeSearchRequestV1, RpcSubjects } from '@desk/contracts';
import { KnowledgeApp } from '../app/knowledge-app';
import { KNOWLEDGE_APP } from '../config';

/** Request/reply search for the executor and the escalation summary (validated both ways by the platform). */
@Controller()
export class KnowledgeSearchHandler {
  constructor(@Inject(KNOWLEDGE_APP) private readonly app: KnowledgeApp) {}

  @MessagePattern(RpcSubjects.knowledgeSearch)
  async search(@Payload() req: KnowledgeSearchRequestV1): Promise<KnowledgeSearchReplyV1> {
    const hits = await this.app.search.search({ clientIdentifier: req.clientIdentifier, query: req.query, category: req.category, categoryHint: req.categoryHint, limit: req.limit }, 'rpc');
    return { hits: hits.map(({ ranks: _ranks, ...h }) => h) };
  }
}
