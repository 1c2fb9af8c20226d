import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TicketCategory } from '@desk/contracts';
import { parse } from 'yaml';
import { groupFolds, trainClassifier } from '../src/domain/classifier/train';
import { ticketText } from '../src/domain/classifier/tokenize';
import { decideCategory } from '../src/domain/classify';
import { checkInput } from '../src/domain/intake/input-check';
import { effectivePolicy, NEVER_AUTONOMOUS, parsePolicyDocument, PolicyDocument } from '../src/domain/policy/policy';
import { screenSecurity } from '../src/domain/security/screen';
import { MemoryOpenTicketStore } from '../src/domain/storm';
import { triageTicket } from '../src/domain/triage';
import { loadSeedDirectories } from '../src/adapters/seed-directory';
import { KeywordBaseline, majorityClass } from './baselines';
import { DemoTicket, describeSharedDataset, loadTrainingData, REPO_ROOT } from './dataset';
import { coverageCurve, r3, score, Scored } from './metrics';

export const EVAL_SEED = 7;
const THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98];

/** The policy shipped in git (config/policy.yaml): its per-category modes and thresholds decide "autonomous". */
export function shippedPolicy(): PolicyDocument {
  return parsePolicyDocument(parse(readFileSync(join(REPO_ROOT, 'config', 'policy.yaml'), 'utf8')));
}

interface PipelineScored extends Scored {
  flagged: boolean;
  source: DemoTicket['source'];
  client: string | null;
}

export async function runEval(log: (line: string) => void): Promise<Record<string, number>> {
  log(describeSharedDataset());
  const rows = loadTrainingData();
  // K-fold by template group (L1 examples) or ticket (demo): each fold is scored by a model trained on the
  // other folds only, and no template is ever on both sides. Every example is held out exactly once.
  const K = 4;
  const folds = groupFolds(rows, K, EVAL_SEED);
  const modelOnly: Scored[] = [];
  const pipeline: PipelineScored[] = [];
  const kw: Scored[] = [];
  const maj: Scored[] = [];
  const mistakes: string[] = [];
  const routes = { autonomousOk: 0, autonomousEscalated: 0, escalateOk: 0, escalateMissed: 0 };
  const world = loadSeedDirectories(join(REPO_ROOT, 'sandbox', 'seed', 'demo-msp'));
  const policyDoc = shippedPolicy();
  const started = Date.now();
  for (let f = 0; f < K; f++) {
    const train = rows.filter((_, i) => folds[i] !== f);
    const test = rows.filter((_, i) => folds[i] === f);
    const model = trainClassifier(train);
    log(`fold ${f + 1}/${K}: train ${train.length} / held-out ${test.length} (l1 ${test.filter((r) => r.source === 'l1').length}, demo ${test.filter((r) => r.source === 'demo').length}), temperature ${model.file.temperature}`);
    const majority = majorityClass(train.map((r) => r.category));
    const keyword = new KeywordBaseline(majority);
    for (const r of test) {
      const text = ticketText(r.summary, r.description);
      const p = model.predict(text);
      modelOnly.push({ truth: r.category, predicted: p.category, confidence: p.confidence });
      const clean = checkInput(r.summary, r.description);
      const sec = screenSecurity({ summary: clean.summary, description: clean.description, senderOnFile: true, privilegedGroups: [] });
      const d = decideCategory(model, { summary: clean.summary, description: clean.description, channel: r.channel, alertCondition: null, securityIncident: sec.incident });
      pipeline.push({ truth: r.category, predicted: d.category, confidence: d.confidence, flagged: sec.flagged, source: r.source, client: r.clientIdentifier || null });
      if (d.category !== r.category) mistakes.push(`${r.id} ${r.category}->${d.category}@${d.confidence.toFixed(2)} "${r.summary.slice(0, 50)}"`);
      if (r.source === 'demo') {
        // The whole pipeline on a held-out demo ticket: does triage alone send it to a human when the label says so?
        const o = await triageTicket({
          channel: r.channel === 'alert' ? 'alert' : r.channel === 'chat' || r.channel === 'portal' || r.channel === 'phone' ? r.channel : 'email',
          psa: null, clientIdentifier: r.clientIdentifier, summary: r.summary, description: r.description, fromEmail: r.fromEmail, fromName: null,
          contactId: null, receivedAt: '2026-11-30T16:00:00Z', attachments: [], alert: null, rawRef: null,
        }, randomUUID(), { model, directories: world, policy: policyDoc, openTickets: new MemoryOpenTicketStore() });
        const escalated = o.result.route.decision === 'escalate';
        if (r.expected === 'escalate') routes[escalated ? 'escalateOk' : 'escalateMissed']++;
        else routes[escalated ? 'autonomousEscalated' : 'autonomousOk']++;
        if (r.expected === 'autonomous' && escalated) mistakes.push(`${r.id} route: labeled autonomous, triage escalated (${o.result.category}@${o.result.confidence.toFixed(2)}): ${o.result.route.reasons.join('; ').slice(0, 120)}`);
      }
      const k = keyword.predict(text);
      kw.push({ truth: r.category, predicted: k.category, confidence: k.confidence });
      maj.push({ truth: r.category, predicted: majority, confidence: 1 });
    }
  }
  log(`${K} folds trained and scored in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (process.env.EVAL_SHOW_MISTAKES) for (const m of mistakes) log(`  miss ${m}`);

  const table = (name: string, s: ReturnType<typeof score>) => log(`${name.padEnd(34)} n=${String(s.n).padStart(3)}  accuracy ${s.accuracy.toFixed(3)}  macro-F1 ${s.macroF1.toFixed(3)}  ECE ${s.ece.toFixed(3)}`);
  log('\n== held-out scores ==');
  table('baseline: majority class', score(maj));
  table('baseline: keywords', score(kw));
  table('model only (tf-idf + logreg)', score(modelOnly));
  const all = score(pipeline);
  table('triage (screen + rules + model)', all);
  const l1 = score(pipeline.filter((r) => r.source === 'l1'));
  table('  on the repo L1 examples', l1);
  table('  on the demo-world tickets', score(pipeline.filter((r) => r.source === 'demo')));

  log('\n== per class (triage, held-out) ==');
  for (const [c, m] of Object.entries(all.perClass)) {
    log(`${c.padEnd(20)} precision ${m.precision.toFixed(3)}  recall ${m.recall.toFixed(3)}  f1 ${m.f1.toFixed(3)}  support ${m.support}`);
  }
  log('\n== coverage vs precision (triage confidence, held-out) ==');
  for (const c of coverageCurve(pipeline, THRESHOLDS)) log(`>= ${c.threshold.toFixed(2)}  coverage ${c.coverage.toFixed(3)}  precision ${c.precision.toFixed(3)}  (n=${c.n})`);

  // What the desk would route autonomously under the shipped policy: not flagged, an automatable category,
  // the category's mode autonomous and the confidence at or over that category's threshold.
  const policy = shippedPolicy();
  const threshold = policy.defaults.minConfidence;
  const auto = pipeline.filter((r) => {
    const p = effectivePolicy(policy, r.client, r.predicted);
    return !r.flagged && !NEVER_AUTONOMOUS.has(r.predicted) && p.mode === 'autonomous' && r.confidence >= p.minConfidence;
  });
  const autoPrecision = auto.length ? auto.filter((r) => r.predicted === r.truth).length / auto.length : 1;
  const autoCoverage = auto.length / Math.max(pipeline.length, 1);
  const eligible = pipeline.filter((r) => !NEVER_AUTONOMOUS.has(r.truth as TicketCategory)).length;
  log(`\nautonomous routes under config/policy.yaml (default threshold ${threshold}): ${auto.length} of ${pipeline.length} held-out tickets (${eligible} of an automatable category) pass, precision ${autoPrecision.toFixed(3)}`);
  const wrong = auto.filter((r) => r.predicted !== r.truth);
  if (wrong.length) log(`autonomous mistakes: ${wrong.map((w) => `${w.truth}->${w.predicted}@${w.confidence.toFixed(2)}`).join(', ')}`);
  log(`\ndemo-world tickets through the whole triage pipeline (held-out folds, demo directories, shipped policy):`);
  log(`  labeled escalate: ${routes.escalateOk} escalated by triage, ${routes.escalateMissed} left to later stages (runbook rules, identity checks)`);
  log(`  labeled autonomous: ${routes.autonomousOk} not escalated, ${routes.autonomousEscalated} escalated by triage`);

  // The security screen on its own test set (every positive must be flagged) and on benign L1 tickets.
  const readJsonl = (f: string) => readFileSync(join(REPO_ROOT, 'data', 'triage', f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { summary: string; description: string; category?: string; expected?: string });
  const flag = (r: { summary: string; description: string }) => screenSecurity({ summary: r.summary, description: r.description, senderOnFile: true, privilegedGroups: [] }).flagged;
  const positives = readJsonl('security-positive.jsonl');
  const benign = [...readJsonl('security-benign.jsonl'), ...rows.filter((r) => r.category !== 'security_incident' && (r.source === 'l1' || r.expected === 'autonomous'))];
  const recall = positives.filter(flag).length / positives.length;
  const benignRate = benign.filter(flag).length / benign.length;
  log(`security screen: recall ${recall.toFixed(3)} on ${positives.length} security test tickets; ${(benignRate * 100).toFixed(1)}% of ${benign.length} benign tickets flagged`);
  return {
    macro_f1: all.macroF1,
    macro_f1_l1: l1.macroF1,
    accuracy: all.accuracy,
    ece: all.ece,
    precision_at_autonomous_threshold: r3(autoPrecision),
    coverage_at_autonomous_threshold: r3(autoCoverage),
    autonomous_threshold: threshold,
    keyword_baseline_macro_f1: score(kw).macroF1,
    majority_baseline_macro_f1: score(maj).macroF1,
    model_only_macro_f1: score(modelOnly).macroF1,
    held_out: pipeline.length,
    security_recall: r3(recall),
    demo_escalations_caught_by_triage: r3(routes.escalateOk / Math.max(1, routes.escalateOk + routes.escalateMissed)),
    demo_autonomous_wrongly_escalated: r3(routes.autonomousEscalated / Math.max(1, routes.autonomousOk + routes.autonomousEscalated)),
    benign_flag_rate: r3(benignRate),
  };
}
