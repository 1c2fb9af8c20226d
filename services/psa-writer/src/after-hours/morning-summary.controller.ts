import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { AdapterRegistry } from '@desk/adapters';
import { MorningSummaryService } from './morning-summary.service';

/** The morning queue over HTTP: `GET /morning-summaries/:client?day=YYYY-MM-DD` (the latest without `day`). */
@Controller('morning-summaries')
export class MorningSummaryController {
  constructor(private readonly summaries: MorningSummaryService, private readonly registry: AdapterRegistry) {}

  @Get(':client')
  async get(@Param('client') client: string, @Query('day') day?: string): Promise<unknown> {
    const known = this.registry.findClient(client);
    if (!known) throw new NotFoundException(`unknown client "${client}"`);
    if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new BadRequestException('day must be a date as YYYY-MM-DD');
    const found = await this.summaries.get(known.identifier, day ?? null);
    if (!found) throw new NotFoundException(`no morning summary for ${known.identifier}${day ? ` on ${day}` : ''} yet`);
    return found;
  }
}
