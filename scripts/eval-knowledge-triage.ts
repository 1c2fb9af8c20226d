/**
 * Triage's predicted category for each knowledge evaluation query, as the pipeline would pass it to the
 * knowledge search: the real triage decision (input check, security screen, rules, calibrated model) on the
 * query text. Never the gold label.
 *
 * The shipped triage model is trained on the demo world's training tickets, which are also queries here. So a
 * query made from a training ticket (or its misspelt copy) is classified by a model trained on the same data
 * minus that ticket's fold (the folds of the evaluation's category vote); hand-written queries, which no model
 * saw, by a model trained on everything (what `npm run train:triage` ships).
 */
import { TicketCategory } from '@desk/contracts';
import { trainClassifier } from '../services/triage/src/domain/classifier/train';
import { TextClassifier } from '../services/triage/src/domain/classifier/model';
import { decideCategory } from '../services/triage/src/domain/classify';
import { checkInput } from '../services/triage/src/domain/intake/input-check';
import { screenSecurity } from '../services/triage/src/domain/security/screen';
import { loadTrainingData } from '../services/triage/tools/dataset';

export interface TriageHint {
  category: TicketCategory;
  confidence: number;
}

export interface HintQuery {
  id: string;
  text: string;
}

/**
 * @param foldOfTicket the fold of each demo training ticket (by ticket id); queries `<id>` and `TYPO-<id>` of a
 *   ticket in fold f are classified by a model that never saw fold f.
 * @param channelOf the ticket's intake channel when known (alert rules depend on it), else email.
 */
export function triageHints(queries: HintQuery[], foldOfTicket: Map<string, number>, channelOf: Map<string, string>): Map<string, TriageHint> {
  const rows = loadTrainingData();
  const models = new Map<number, TextClassifier>();
  const modelFor = (fold: number): TextClassifier => {
    let m = models.get(fold);
    if (!m) {
      // fold -1: no query of this model came from the training data, so it trains on all of it.
      m = trainClassifier(rows.filter((r) => r.source !== 'demo' || foldOfTicket.get(r.id) !== fold));
      models.set(fold, m);
    }
    return m;
  };
  const out = new Map<string, TriageHint>();
  for (const q of queries) {
    const ticketId = q.id.replace(/^TYPO-/, '');
    const fold = foldOfTicket.get(ticketId) ?? -1;
    const [summary = '', ...rest] = q.text.split('\n');
    const clean = checkInput(summary, rest.join('\n'));
    const sec = screenSecurity({ summary: clean.summary, description: clean.description, senderOnFile: true, privilegedGroups: [] });
    const d = decideCategory(modelFor(fold), {
      summary: clean.summary, description: clean.description, channel: channelOf.get(ticketId) ?? 'email', alertCondition: null, securityIncident: sec.incident,
    });
    out.set(q.id, { category: d.category, confidence: d.confidence });
  }
  return out;
}
