import { bootstrapService } from '@desk/platform';
import { VerifierModule } from './verifier.module';

void bootstrapService({ name: 'verifier', module: VerifierModule });
