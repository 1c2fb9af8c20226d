import { bootstrapService } from '@desk/platform';
import { IntakeModule } from './intake.module';

void bootstrapService({ name: 'intake', module: IntakeModule });
