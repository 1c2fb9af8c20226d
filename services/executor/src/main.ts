import { bootstrapService } from '@desk/platform';
import { ExecutorModule } from './executor.module';

void bootstrapService({ name: 'executor', module: ExecutorModule });
