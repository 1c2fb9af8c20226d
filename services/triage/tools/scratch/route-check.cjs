require('/work/main/services/triage/tools/ts-register.cjs');
const { loadSeedDirectories } = require('/work/main/services/triage/src/adapters/seed-directory.ts');
const { triageTicket } = require('/work/main/services/triage/src/domain/triage.ts');
const { TextClassifier } = require('/work/main/services/triage/src/domain/classifier/model.ts');
const { MemoryOpenTicketStore } = require('/work/main/services/triage/src/domain/storm.ts');
const { parsePolicyDocument } = require('/work/main/services/triage/src/domain/policy/policy.ts');
const fs = require('fs'); const yaml = require('/work/main/node_modules/yaml'); const crypto = require('crypto');
const dirs = loadSeedDirectories('/work/main/sandbox/seed/demo-msp');
const model = TextClassifier.fromJson(JSON.parse(fs.readFileSync('/work/main/services/triage/model/triage-model.json', 'utf8')));
const policy = parsePolicyDocument(yaml.parse(fs.readFileSync('/work/main/config/policy.yaml', 'utf8')));
const rows = fs.readFileSync('/work/main/data/triage/demo-training-tickets.jsonl', 'utf8').trim().split('\n').map(JSON.parse);
(async () => {
  const c = {}; const show = process.argv[2];
  for (const r of rows) {
    const store = new MemoryOpenTicketStore();
    const t = { channel: r.channel, psa: null, clientIdentifier: r.clientIdentifier, summary: r.summary, description: r.description, fromEmail: r.fromEmail, fromName: null, contactId: null, receivedAt: '2026-11-30T15:00:00Z', attachments: [], alert: null, rawRef: null };
    const o = await triageTicket(t, crypto.randomUUID(), { model, directories: dirs, policy, openTickets: store });
    const got = o.result.route.decision === 'escalate' ? 'escalate' : 'autonomous';
    const k = r.expected + '->' + got; c[k] = (c[k] || 0) + 1;
    if (show && k === show) console.log(r.id, r.category, o.result.category, o.result.confidence, '|', r.summary.slice(0, 50), '|', o.result.route.reasons.join('; ').slice(0, 150));
  }
  console.log(c);
})();
