import { bootstrapService } from '@desk/platform';
import { TriageModule } from './triage.module';

void bootstrapService({ name: 'triage', module: TriageModule });
