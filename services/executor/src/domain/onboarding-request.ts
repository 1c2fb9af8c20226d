/**
 * What a new-user request states, read from free text by rules: labelled forms ("Name: …", "Start: …")
 * and the sentences people write ("New hire: Erin Walsh, Quality Inspector, starts Monday December 7,
 * reports to Sarah Whitaker. Same access as Tom Becker."). Conservative: a field is filled only from
 * an explicit phrase; nothing is inferred from context, and a date that could be read two ways is left
 * empty. Checking the values against the client's records is the planner's job.
 */
export interface NewUserRequest {
  fullName: string | null;
  preferredName: string | null;
  /** YYYY-MM-DD */
  startDate: string | null;
  jobTitle: string | null;
  department: string | null;
  /** A name, an address, or "me" (the requester). */
  manager: string | null;
  office: string | null;
  /** The colleague whose access is the template. */
  sameAccessAs: string | null;
  /** What the request leaves out of the template ("except matter groups"). */
  except: string | null;
  licences: string[];
  groups: string[];
}

export const REQUIRED_NEW_USER_FIELDS = ['fullName', 'startDate', 'jobTitle', 'manager', 'sameAccessAs'] as const;

const NAME = "[A-Z][a-zA-Z'’-]+(?: (?:[A-Z][a-zA-Z'’-]+|de|van|von|da|del|la|le|O'[A-Z][a-z]+)){1,3}";
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const LABELS: Array<[keyof NewUserRequest, RegExp]> = [
  ['fullName', /^(?:full (?:legal )?name|legal name|name|new (?:user|hire|starter|employee)(?:'s name)?|employee name)$/i],
  ['preferredName', /^(?:preferred (?:first )?name|goes by|known as|nickname)$/i],
  ['startDate', /^(?:start(?:ing)? date|start|starts|starting|first day|start day|date of start|hire date)$/i],
  ['jobTitle', /^(?:job title|title|role|position)$/i],
  ['department', /^(?:department|dept\.?|team|division)$/i],
  ['manager', /^(?:manager|line manager|reports to|reporting to|supervisor|direct manager)$/i],
  ['office', /^(?:office|location|site|based at|based in|work location)$/i],
  ['sameAccessAs', /^(?:same access as|copy access from|template(?: user)?|mirror|access like|model after)$/i],
  ['licences', /^(?:licen[cs]es?|licen[cs]e type)$/i],
  ['groups', /^(?:groups?|distribution lists?|security groups?|access)$/i],
];

const clean = (v: string): string => v.replace(/\s+/g, ' ').replace(/^[\s"'“”]+|[\s"'“”.,;]+$/g, '').trim();
const list = (v: string): string[] => v.split(/\s*(?:,|;| and |&)\s*/).map(clean).filter((x) => x.length > 1);

export function emptyRequest(): NewUserRequest {
  return { fullName: null, preferredName: null, startDate: null, jobTitle: null, department: null, manager: null, office: null, sameAccessAs: null, except: null, licences: [], groups: [] };
}

export function parseNewUserRequest(text: string, now: Date): NewUserRequest {
  const r = emptyRequest();
  const body = text.replace(/\r/g, '');
  labelled(body, r, now);
  sentences(body, r, now);
  if (r.sameAccessAs) {
    const ex = /^(.*?)(?:,|\s)+(?:except|but not|minus|without)\s+(.+)$/i.exec(r.sameAccessAs);
    if (ex) {
      r.sameAccessAs = clean(ex[1]!);
      r.except ??= clean(ex[2]!);
    }
  }
  return r;
}

function setText(r: NewUserRequest, key: keyof NewUserRequest, value: string, now: Date): void {
  const v = clean(value);
  if (!v) return;
  if (key === 'licences' || key === 'groups') {
    for (const x of list(v)) if (!r[key].includes(x)) r[key].push(x);
    return;
  }
  if (r[key] !== null) return;
  if (key === 'startDate') {
    r.startDate = parseDate(v, now);
    return;
  }
  if (key === 'manager') {
    // "me (Maria Gonzalez)" → me; "Maria Gonzalez (Office Manager)" → the name.
    r.manager = /^(?:me|myself|i)\b/i.test(v) ? 'me' : personName(v);
    return;
  }
  (r as unknown as Record<string, string | null>)[key] = key === 'fullName' || key === 'sameAccessAs' ? personName(v) : v;
}

/** The person a value names: its leading capitalised name ("Tom Becker and add her to…" → Tom Becker), or an address. */
function personName(v: string): string | null {
  const text = clean(v.replace(/\(.*?\)/g, ''));
  const email = /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(text);
  if (email) return email[0];
  const m = new RegExp(`^(${NAME})`).exec(text);
  return m ? clean(m[1]!) : null;
}

function labelled(body: string, r: NewUserRequest, now: Date): void {
  for (const line of body.split('\n')) {
    const m = /^\s*[-*•]?\s*([A-Za-z' ]{2,30}?)\s*[:=–-]\s+(.+)$/.exec(line) ?? /^\s*[-*•]?\s*([A-Za-z' ]{2,30}?)\s*:\s*(.+)$/.exec(line);
    if (!m) continue;
    const label = m[1]!.trim();
    const hit = LABELS.find(([, re]) => re.test(label));
    if (hit) setText(r, hit[0], m[2]!, now);
  }
  // "Same access as Aisha Rahman please." on a line of its own, no colon.
  const same = /\b(?:same (?:access|permissions|groups|setup|rights)(?: and \w+)? as|same as|copy(?: the)? access (?:of|from)|mirror(?:ing)?(?: the access of)?|set (?:him|her|them) up like|access like)\s+([^\n.]+)/i.exec(body);
  if (same && !r.sameAccessAs) setText(r, 'sameAccessAs', same[1]!, now);
}

function sentences(body: string, r: NewUserRequest, now: Date): void {
  const flat = body.replace(/\n+/g, ' \n ');
  // "New associate: Natalie Quinn, Associate, Litigation, starting January 5, 2027, reporting to Olivia Grant."
  // Case-sensitive on purpose: a name is capitalised words, "a new person starting soon" is not one.
  const intro = new RegExp(`(?:[Nn]ew (?:[a-z]+ )?(?:hire|starter|employee|user|associate|colleague|member|volunteer|[a-z]+)|[Hh]ired|[Ss]easonal [a-z]+(?: for \\d{4})?|[Ww]elcome|account for|[Oo]nboard(?:ing)?)\\s*(?:is|:|-|–|named|called)?\\s*(${NAME})((?:\\s*,\\s*[^,\\n.]+){0,4})`);
  const m = intro.exec(flat);
  if (m) {
    setText(r, 'fullName', m[1]!, now);
    const items = (m[2] ?? '').split(',').map(clean).filter(Boolean);
    const positional = items.filter((x) => !isDateish(x) && !/^(?:starting|starts|start|reports?|reporting|replacing|\d(?:st|nd|rd|th) shift|effective|who|he|she|they)\b/i.test(x));
    if (positional[0] && !r.jobTitle) r.jobTitle = positional[0];
    if (positional[1] && !r.department && positional.length === items.filter((x) => !isDateish(x)).length) r.department = positional[1];
    else if (positional[1] && !r.department && /^[A-Z][\w&' -]{1,40}$/.test(positional[1])) r.department = positional[1];
  }
  if (!r.fullName) {
    const who = new RegExp(`(${NAME})\\s+(?:is|will be)?\\s*(?:starting|starts|will start|joins|is joining|joining|begins|will begin)\\b`).exec(flat);
    if (who) setText(r, 'fullName', who[1]!, now);
  }
  const start = /\b(?:starting|starts|start(?:s|ing)? (?:on|date(?: is)?)|will start(?: on)?|first day(?: is| will be)?|joins(?: us)?(?: on)?|joining(?: us)?(?: on)?|begins(?: on)?|effective)\s*:?\s*((?:(?:on|this|next)\s+)?[A-Za-z0-9 ,./-]{3,40})/i.exec(flat);
  if (start && !r.startDate) r.startDate = parseDate(start[1]!, now);
  const title = /\bas (?:a|an|our|the)?\s*(?:new\s+)?([A-Z][\w&/' -]{2,50}?)(?=\s+(?:in|for|at|on|starting|from|with|reporting|who|,)\b|[,.;\n]|$)/.exec(flat);
  if (title && !r.jobTitle) r.jobTitle = clean(title[1]!);
  const dept = /\b(?:in|joining|for) (?:the|our)\s+([A-Z][\w&' -]{1,40}?)\s+(?:department|dept|team|group)\b/.exec(flat) ?? /\b([A-Z][\w&' -]{1,30}?) department\b/.exec(flat);
  if (dept && !r.department) r.department = clean(dept[1]!);
  const mgr = new RegExp(`\\b(?:reports? to|reporting to|report(?:s|ing)? directly to|(?:his|her|their) manager (?:is|will be)|manager (?:is|will be)|under|supervisor (?:is|will be))\\s+(me\\b|myself\\b|${NAME})`, 'i').exec(flat);
  if (mgr && !r.manager) setText(r, 'manager', mgr[1]!, now);
  const office = /\b(?:based (?:at|in|out of)|at|in|from) (?:the|our)?\s*([A-Z][\w' -]{1,30}?) (?:office|location|site|clinic|branch|plant)\b/.exec(flat);
  if (office && !r.office) r.office = clean(office[1]!);
  const except = /\b(?:except|but not|minus|without)\s+([^.\n]+)/i.exec(flat);
  if (except && !r.except && r.sameAccessAs) r.except = clean(except[1]!);
  for (const l of flat.matchAll(/\b((?:Microsoft|Office|M|O)\s?365 (?:Business (?:Basic|Standard|Premium)|E[135]|F[13]|A[135])|Exchange Online (?:Plan [12]|Kiosk))\b/gi)) {
    if (!r.licences.some((x) => x.toLowerCase() === l[1]!.toLowerCase())) r.licences.push(clean(l[1]!));
  }
  for (const g of flat.matchAll(/\b(?:add (?:him|her|them) to|access to|member of|be in|put (?:him|her|them) in)\s+(?:the\s+)?([A-Za-z0-9][\w&' -]{1,60}?)\s+(?:group|distribution list|list|share|team)\b/gi)) {
    const name = clean(g[1]!);
    if (!r.groups.some((x) => x.toLowerCase() === name.toLowerCase())) r.groups.push(name);
  }
}

function isDateish(s: string): boolean {
  return parseDate(s, new Date(0)) !== null || /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i.test(s) || /\b\d{4}\b/.test(s);
}

const iso = (y: number, m: number, d: number): string | null => {
  const t = new Date(Date.UTC(y, m, d));
  return t.getUTCMonth() === m && t.getUTCDate() === d ? t.toISOString().slice(0, 10) : null;
};

/**
 * A start date: ISO, "January 5, 2027", "Monday December 7", "7 Dec 2026", a weekday (the next one),
 * "tomorrow", or a numeric date whose reading is unambiguous (31/12/2026; 12/14/2026). "03/04/2027" could
 * be March or April: not a date for the desk.
 */
export function parseDate(v: string, now: Date): string | null {
  const s = v.toLowerCase();
  const isoM = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(s);
  if (isoM) return iso(Number(isoM[1]), Number(isoM[2]) - 1, Number(isoM[3]));
  const year = (m: number, d: number, y: string | undefined): number => {
    if (y) return Number(y.length === 2 ? `20${y}` : y);
    const thisYear = now.getUTCFullYear();
    return Date.UTC(thisYear, m, d) < now.getTime() - 24 * 3600_000 ? thisYear + 1 : thisYear;
  };
  const md = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b/.exec(s);
  if (md) {
    const m = MONTHS.indexOf(md[1]!);
    return iso(year(m, Number(md[2]), md[3]), m, Number(md[2]));
  }
  const dm = /\b(\d{1,2})(?:st|nd|rd|th)?(?: of)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:,?\s+(\d{4}))?\b/.exec(s);
  if (dm) {
    const m = MONTHS.indexOf(dm[2]!);
    return iso(year(m, Number(dm[1]), dm[3]), m, Number(dm[1]));
  }
  const num = /\b(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\b/.exec(s);
  if (num) {
    const a = Number(num[1]);
    const b = Number(num[2]);
    const y = Number(num[3]!.length === 2 ? `20${num[3]}` : num[3]);
    if (a > 12 && b <= 12) return iso(y, b - 1, a);
    if (b > 12 && a <= 12) return iso(y, a - 1, b);
    return a === b ? iso(y, a - 1, b) : null;
  }
  if (/\btomorrow\b/.test(s)) return new Date(now.getTime() + 24 * 3600_000).toISOString().slice(0, 10);
  const wd = /\b(?:(?:next|this|on)\s+)?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(s);
  if (wd) {
    const target = WEEKDAYS.indexOf(wd[1]!);
    let ahead = (target - now.getUTCDay() + 7) % 7;
    // "Monday" and "next Monday" both mean the coming one, as most people write it; today is never meant.
    if (ahead === 0) ahead = 7;
    const d = new Date(now.getTime() + ahead * 24 * 3600_000);
    return d.toISOString().slice(0, 10);
  }
  return null;
}

/** Required details the request leaves out. */
export function missingFields(r: NewUserRequest): string[] {
  const out: string[] = [];
  if (!r.fullName || r.fullName.split(/\s+/).length < 2) out.push('full name (first and last)');
  if (!r.startDate) out.push('start date');
  if (!r.jobTitle) out.push('job title');
  if (!r.manager) out.push('manager');
  if (!r.sameAccessAs) out.push('a "same access as" colleague');
  return out;
}
