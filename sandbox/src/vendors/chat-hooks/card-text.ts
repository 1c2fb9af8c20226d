/**
 * Plain text of the chat payloads, for the outbox (what a person would read in the channel).
 * Adaptive Cards: TextBlock / RichTextBlock / FactSet / containers; Block Kit: header, section (text and
 * fields), context, rich_text. Unknown elements contribute nothing rather than failing.
 */
type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function adaptiveCardText(card: unknown): string[] {
  if (!isNode(card)) return [];
  const out: string[] = [];
  switch (card.type) {
    case 'TextBlock':
      if (typeof card.text === 'string') out.push(card.text);
      break;
    case 'RichTextBlock':
      out.push(arr(card.inlines).map((i) => (isNode(i) ? String(i.text ?? '') : String(i))).join(''));
      break;
    case 'FactSet':
      for (const f of arr(card.facts)) if (isNode(f)) out.push(`${String(f.title ?? '')}: ${String(f.value ?? '')}`);
      break;
  }
  for (const key of ['body', 'items', 'columns', 'actions']) for (const child of arr(card[key])) out.push(...adaptiveCardText(child));
  if (card.type?.toString().startsWith('Action.') && typeof card.title === 'string') out.push(`[${card.title}]`);
  return out.filter((s) => s !== '');
}

const slackText = (t: unknown): string => (isNode(t) && typeof t.text === 'string' ? t.text : '');

function richText(el: unknown): string {
  if (!isNode(el)) return '';
  if (typeof el.text === 'string') return el.text;
  if (el.type === 'link' && typeof el.url === 'string') return el.url;
  return arr(el.elements).map(richText).join('');
}

export function blockKitText(blocks: unknown): string[] {
  const out: string[] = [];
  for (const b of arr(blocks)) {
    if (!isNode(b)) continue;
    if (b.type === 'header' || b.type === 'section') out.push(slackText(b.text));
    if (b.type === 'section') for (const f of arr(b.fields)) out.push(slackText(f));
    if (b.type === 'context') for (const e of arr(b.elements)) out.push(slackText(e));
    if (b.type === 'rich_text') out.push(arr(b.elements).map(richText).join('\n'));
    if (b.type === 'actions') for (const e of arr(b.elements)) if (isNode(e)) out.push(`[${slackText(e.text)}]`);
  }
  return out.filter((s) => s !== '' && s !== '[]');
}
