import { Controller, Get, Inject } from '@nestjs/common';
import { INTAKE_ENV } from '../tokens';
import type { IntakeEnv } from '../config';
import { portalOpenApi } from './openapi';

@Controller()
export class OpenApiController {
  private readonly doc: Record<string, unknown>;

  constructor(@Inject(INTAKE_ENV) env: IntakeEnv) {
    this.doc = portalOpenApi(env.INTAKE_PUBLIC_URL);
  }

  @Get('openapi.json')
  openapi(): Record<string, unknown> {
    return this.doc;
  }
}
