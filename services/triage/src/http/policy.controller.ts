import { BadRequestException, Body, Controller, Delete, Get, Headers, HttpCode, Inject, NotFoundException, Param, Post, Put, Query, UnauthorizedException } from '@nestjs/common';
import { AutomationMode, TicketCategory } from '@desk/contracts';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { TriageEnv, TRIAGE_ENV } from '../config';
import { AfterHoursBehaviour, effectivePolicy, PolicyDocument, PolicyRule } from '../domain/policy/policy';
import { TriageService } from '../services/triage.service';

const RuleBody = z.object({ mode: AutomationMode, minConfidence: z.number().min(0).max(1).optional(), afterHours: AfterHoursBehaviour.optional(), reason: z.string().max(500).optional() });
const DefaultsBody = z.object({ mode: AutomationMode, minConfidence: z.number().min(0).max(1), afterHours: AfterHoursBehaviour, reason: z.string().max(500).optional() });
const SwitchBody = z.object({ engaged: z.boolean(), reason: z.string().max(500).optional() });
const ImportBody = z.object({ yaml: z.string().max(1_000_000).optional(), replace: z.boolean().default(false) });

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new BadRequestException(`${r.error.issues[0]?.path.join('.') ?? ''}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/**
 * The policy API: read the policy, change a rule, the defaults or a kill switch, import the YAML file.
 * Every change is written with its actor and before/after into policy_audit (GET /policy/audit).
 */
@Controller('policy')
export class PolicyController {
  constructor(
    private readonly triage: TriageService,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(TRIAGE_ENV) private readonly env: TriageEnv,
  ) {}

  @Get()
  async get(): Promise<PolicyDocument> {
    return this.triage.policyStore.load(this.ds.manager);
  }

  @Get('effective')
  async effective(@Query('client') client: string | undefined, @Query('category') category: string | undefined) {
    const cat = TicketCategory.safeParse(category);
    if (!cat.success) throw new BadRequestException('category must be a ticket category');
    return effectivePolicy(await this.triage.policyStore.load(this.ds.manager), client ?? null, cat.data);
  }

  @Get('audit')
  async audit(@Query('limit') limit: string | undefined) {
    const n = Math.min(Math.max(Number(limit ?? 100) || 100, 1), 1000);
    return this.triage.policyStore.auditTrail(this.ds.manager, n);
  }

  @Put('rules/:client/:category')
  async setRule(@Param('client') client: string, @Param('category') category: string, @Body() body: unknown, @Headers() h: Record<string, string | undefined>) {
    const actor = this.authorize(h);
    const b = parseBody(RuleBody, body);
    const rule = PolicyRule.safeParse({ client, category, mode: b.mode, minConfidence: b.minConfidence, afterHours: b.afterHours });
    if (!rule.success) throw new BadRequestException(`invalid rule: ${rule.error.issues[0]?.message ?? ''}`);
    await this.ds.transaction((em) => this.triage.policyStore.setRule(em, rule.data, actor, b.reason ?? null));
    return rule.data;
  }

  @Delete('rules/:client/:category')
  @HttpCode(204)
  async deleteRule(@Param('client') client: string, @Param('category') category: string, @Headers() h: Record<string, string | undefined>): Promise<void> {
    const actor = this.authorize(h);
    const gone = await this.ds.transaction((em) => this.triage.policyStore.deleteRule(em, client, category, actor, null));
    if (!gone) throw new NotFoundException(`no rule for ${client}:${category}`);
  }

  @Put('defaults')
  async setDefaults(@Body() body: unknown, @Headers() h: Record<string, string | undefined>) {
    const actor = this.authorize(h);
    const b = parseBody(DefaultsBody, body);
    await this.ds.transaction((em) => this.triage.policyStore.setDefaults(em, { mode: b.mode, minConfidence: b.minConfidence, afterHours: b.afterHours }, actor, b.reason ?? null));
    return { mode: b.mode, minConfidence: b.minConfidence, afterHours: b.afterHours };
  }

  /** The global kill switch: stops every autonomous route at once. */
  @Put('kill-switch')
  async globalSwitch(@Body() body: unknown, @Headers() h: Record<string, string | undefined>) {
    const actor = this.authorize(h);
    const b = parseBody(SwitchBody, body);
    await this.ds.transaction((em) => this.triage.policyStore.setKillSwitch(em, null, b.engaged, actor, b.reason ?? null));
    return { scope: 'global', engaged: b.engaged };
  }

  @Put('kill-switch/:client')
  async clientSwitch(@Param('client') client: string, @Body() body: unknown, @Headers() h: Record<string, string | undefined>) {
    const actor = this.authorize(h);
    const b = parseBody(SwitchBody, body);
    await this.ds.transaction((em) => this.triage.policyStore.setKillSwitch(em, client, b.engaged, actor, b.reason ?? null));
    return { scope: client, engaged: b.engaged };
  }

  /** Imports config/policy.yaml (or the YAML in the body); `replace: true` drops rules not in the file. */
  @Post('import')
  async import(@Body() body: unknown, @Headers() h: Record<string, string | undefined>) {
    const actor = this.authorize(h);
    const b = parseBody(ImportBody, body);
    let doc: PolicyDocument;
    try {
      doc = this.triage.readPolicyFile(b.yaml);
    } catch (e) {
      throw new BadRequestException(e instanceof Error ? e.message : 'invalid policy');
    }
    const source = b.yaml ? 'request body' : this.env.TRIAGE_POLICY_FILE;
    const res = await this.ds.transaction((em) => this.triage.policyStore.importDocument(em, doc, actor, { replace: b.replace, source }));
    return { imported: res.rules, replace: b.replace, source };
  }

  /** Who is changing the policy: the bearer token guards writes when TRIAGE_ADMIN_TOKEN is set. */
  private authorize(h: Record<string, string | undefined>): string {
    const token = this.env.TRIAGE_ADMIN_TOKEN;
    if (token && h['authorization'] !== `Bearer ${token}`) throw new UnauthorizedException('policy changes need the admin token');
    const actor = (h['x-desk-actor'] ?? 'api').slice(0, 100);
    return actor;
  }
}
