import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ActionName, IdentityRule, RunbookCategory, RUNBOOK_CATEGORIES } from '@desk/contracts';

/**
 * The automation block is strict on purpose: an unknown key is usually a typo of an allow-list
 * ("allowedGroup") and silently dropping it would widen what the automation may touch.
 */
export const AutomationBlock = z.strictObject({
  action: ActionName,
  identityVerification: IdentityRule,
  allowedSoftware: z.array(z.string().min(1)).optional(),
  allowedGroups: z.array(z.string().min(1)).optional(),
  allowedServices: z.array(z.string().min(1)).optional(),
  // Without a check the verifier cannot prove the action worked, so automation needs one.
  verify: z.string().min(1),
});
export type AutomationBlock = z.infer<typeof AutomationBlock>;

/**
 * `childTickets`: tickets the procedure needs opened under the request (hardware, licences, a site visit),
 * each `{summary, board?, description?}`. Strict like the automation block: a typo must not pass silently.
 */
export const ChildTicketBlock = z.strictObject({
  summary: z.string().trim().min(1).max(100),
  board: z.string().trim().min(1).optional(),
  description: z.string().optional(),
});
export type ChildTicketBlock = z.infer<typeof ChildTicketBlock>;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'expected an ISO date')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date');

export const FrontMatter = z.object({
  title: z.string().min(1).optional(),
  category: RunbookCategory,
  automation: AutomationBlock.optional(),
  updated: IsoDate.optional(),
  owner: z.string().optional(),
  childTickets: z.array(ChildTicketBlock).max(10).optional(),
}).superRefine((fm, ctx) => {
  // Staleness decides whether automation may run, so an automated runbook must carry its date.
  if (fm.automation && !fm.updated) ctx.addIssue({ code: 'custom', path: ['updated'], message: 'required when automation is present' });
});
export type FrontMatter = z.infer<typeof FrontMatter>;

export type HeaderParse =
  | { status: 'absent' }
  | { status: 'valid'; header: FrontMatter }
  | {
    status: 'malformed';
    errors: string[];
    /** Category read leniently, only so the document still replaces the global ones of its category. */
    category: RunbookCategory | null;
    updated: string | null;
    title: string | null;
    owner: string | null;
  };

export interface SplitResult {
  yaml: string | null;
  body: string;
}

const FENCE = /^---\s*$/;
const CODE_FENCE = /^```\s*(ya?ml)?\s*$/i;

/**
 * Finds the YAML header: a `---` block at the top (Markdown), or the first fenced block within the
 * first lines when a docs system rendered it as a code block (IT Glue / Hudu / Confluence pages).
 */
export function splitFrontMatter(text: string): SplitResult {
  const lines = text.split('\n');
  let i = 0;
  // A page title heading may precede the header when the vendor puts the document title on top.
  while (i < lines.length && i < 8 && (lines[i]!.trim() === '' || /^#\s/.test(lines[i]!))) i++;
  const open = lines[i];
  if (open === undefined) return { yaml: null, body: text };
  const closer = FENCE.test(open) ? FENCE : CODE_FENCE.test(open) ? /^```\s*$/ : null;
  if (!closer) return { yaml: null, body: text };
  for (let j = i + 1; j < lines.length; j++) {
    if (closer.test(lines[j]!)) {
      let inner = lines.slice(i + 1, j);
      // A code block holding a complete `---` front matter: unwrap the inner fences.
      if (inner[0] !== undefined && FENCE.test(inner[0]) && FENCE.test(inner[inner.length - 1] ?? '')) inner = inner.slice(1, -1);
      const yaml = inner.join('\n');
      // A code block is a header only when it names a category; otherwise it is ordinary content (a script...).
      const isHeader = FENCE.test(open) ? /^\s*[A-Za-z_]+\s*:/m.test(yaml) : /^category\s*:/m.test(yaml);
      if (!isHeader) return { yaml: null, body: text };
      return { yaml, body: [...lines.slice(0, i), ...lines.slice(j + 1)].join('\n').trim() };
    }
  }
  // An opening fence that never closes is a broken header, not content.
  return FENCE.test(open) ? { yaml: lines.slice(i + 1).join('\n'), body: '' } : { yaml: null, body: text };
}

function formatIssues(err: z.ZodError): string[] {
  return err.issues.map((iss) => `${iss.path.length ? iss.path.join('.') : '(header)'}: ${iss.message}`);
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v : null;
}

function lenientCategory(raw: unknown, yaml: string): RunbookCategory | null {
  const fromObj = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).category : undefined;
  const candidate = typeof fromObj === 'string' ? fromObj : /^category:\s*["']?([a-z_]+)["']?\s*(#.*)?$/m.exec(yaml)?.[1];
  return candidate && (RUNBOOK_CATEGORIES as readonly string[]).includes(candidate) ? (candidate as RunbookCategory) : null;
}

/** Parses and validates a header; anything short of fully valid is reported, never repaired. */
export function parseHeader(yaml: string | null): HeaderParse {
  if (yaml === null) return { status: 'absent' };
  let raw: unknown;
  try {
    raw = parseYaml(yaml, { uniqueKeys: true });
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'invalid YAML';
    return { status: 'malformed', errors: [`YAML: ${first}`], category: lenientCategory(undefined, yaml), updated: null, title: null, owner: null };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { status: 'malformed', errors: ['header is not a key/value map'], category: null, updated: null, title: null, owner: null };
  }
  const r = FrontMatter.safeParse(raw);
  if (r.success) return { status: 'valid', header: r.data };
  const obj = raw as Record<string, unknown>;
  return {
    status: 'malformed',
    errors: formatIssues(r.error),
    category: lenientCategory(obj, yaml),
    updated: IsoDate.safeParse(obj.updated).success ? (obj.updated as string) : null,
    title: stringOrNull(obj.title),
    owner: stringOrNull(obj.owner),
  };
}
