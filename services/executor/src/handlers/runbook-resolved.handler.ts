import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Subjects, type Envelope, type RunbookResolvedV1 } from '@desk/contracts';
import { DeskContext } from '@desk/platform';
import { ExecutorService } from '../app/executor.service';
import { fromHandler } from '@desk/platform';

/** knowledge resolved the client's runbook: plan within it, then propose, ask, verify or act. */
@Controller()
export class RunbookResolvedHandler {
  constructor(private readonly executor: ExecutorService) {}

  @EventPattern(Subjects.runbookResolved)
  async handle(@Payload() evt: Envelope<RunbookResolvedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    await this.executor.onRunbookResolved(evt, fromHandler(ctx));
  }
}
