import { bootstrapService } from '@desk/platform';
import { KnowledgeModule } from './knowledge.module';

void bootstrapService({ name: 'knowledge', module: KnowledgeModule });
