import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Subjects, type Envelope, type TicketReplyV1 } from '@desk/contracts';
import { DeskContext } from '@desk/platform';
import { ExecutorService } from '../app/executor.service';
import { fromHandler } from '@desk/platform';

/** An answer on a waiting ticket: a code, a manager's approval, a technician's status change. */
@Controller()
export class TicketReplyHandler {
  constructor(private readonly executor: ExecutorService) {}

  @EventPattern(Subjects.ticketReply)
  async handle(@Payload() evt: Envelope<TicketReplyV1>, @Ctx() ctx: DeskContext): Promise<void> {
    await this.executor.onReply(evt, fromHandler(ctx));
  }
}
