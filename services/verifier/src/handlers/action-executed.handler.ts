import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Subjects, type ActionExecutedV1, type Envelope } from '@desk/contracts';
import { DeskContext } from '@desk/platform';
import { VerifierService } from '../app/verifier.service';
import { fromHandler } from '@desk/platform';

/** An action ran at the vendor: schedule its proof (polled by the check worker, never waited on here). */
@Controller()
export class ActionExecutedHandler {
  constructor(private readonly verifier: VerifierService) {}

  @EventPattern(Subjects.actionExecuted)
  async handle(@Payload() evt: Envelope<ActionExecutedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    await this.verifier.onExecuted(evt, fromHandler(ctx));
  }
}
