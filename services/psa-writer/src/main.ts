import { bootstrapService } from '@desk/platform';
import { PsaWriterModule } from './psa-writer.module';

void bootstrapService({ name: 'psa-writer', module: PsaWriterModule });
