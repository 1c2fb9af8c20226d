#!/usr/bin/env node
// Checks deploy/helm/msp-desk wherever helm is installed: `helm lint`, `helm template` for several
// value sets, then validates every rendered object against the Kubernetes (and KEDA / Prometheus
// Operator) schemas, and checks the security settings every workload must have.
// Exit 0 = pass, 1 = fail, 0 with "SKIPPED:" when helm is not installed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const chartSrc = join(root, 'deploy/helm/msp-desk');

function findHelm() {
  for (const c of ['helm', '/opt/helm/helm']) {
    try { execFileSync(c, ['version', '--short'], { stdio: 'pipe' }); return c; } catch { /* next */ }
  }
  return null;
}

const helm = findHelm();
if (!helm) {
  console.log('SKIPPED: helm is not installed (scripts/ensure-helm.sh installs it)');
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'desk-chart-'));
const chart = join(work, 'msp-desk');
cpSync(chartSrc, chart, { recursive: true });
if (!existsSync(join(chart, 'charts'))) {
  // The optional NATS dependency cannot be fetched offline; check the chart without it and say so.
  const text = readFileSync(join(chart, 'Chart.yaml'), 'utf8');
  writeFileSync(join(chart, 'Chart.yaml'), text.slice(0, text.indexOf('dependencies:')));
  console.log('note: optional nats dependency not vendored (charts/ absent); checked without it');
}

const { Deployment } = await import('kubernetes-models/apps/v1');
const { Service, ServiceAccount, ConfigMap, Secret } = await import('kubernetes-models/v1');
const { PodDisruptionBudget } = await import('kubernetes-models/policy/v1');
const { HorizontalPodAutoscaler } = await import('kubernetes-models/autoscaling/v2');
const { Ingress, NetworkPolicy } = await import('kubernetes-models/networking.k8s.io/v1');
const { Job } = await import('kubernetes-models/batch/v1');
const { ScaledObject } = await import('@kubernetes-models/keda/keda.sh/v1alpha1');
const { ServiceMonitor } = await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1');
const models = {
  'apps/v1/Deployment': Deployment, 'v1/Service': Service, 'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap, 'v1/Secret': Secret, 'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler, 'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy, 'batch/v1/Job': Job,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject, 'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

const failures = [];
const run = (args) => execFileSync(helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const valueSets = {
  defaults: ['--set', 'secret.databaseUrl=postgres://desk@db:5432/desk'],
  'real-msp': ['-f', join(chart, 'ci/real-msp-values.yaml')],
  'bundled-nats-off-hpa': ['--set', 'secret.databaseUrl=postgres://x@db/desk', '--set', 'keda.enabled=false', '--set', 'ingress.tls.enabled=false'],
};

try {
  run(['lint', chart, '--strict', '-f', join(chart, 'ci/real-msp-values.yaml')]);
  console.log('ok: helm lint --strict');
} catch (e) {
  failures.push(`helm lint: ${e.stdout ?? ''}${e.stderr ?? e.message}`);
}

for (const [name, args] of Object.entries(valueSets)) {
  let out;
  try {
    out = run(['template', 'desk', chart, ...args]);
  } catch (e) {
    failures.push(`helm template (${name}): ${e.stderr ?? e.message}`);
    continue;
  }
  const docs = parseAllDocuments(out).map((d) => d.toJSON()).filter(Boolean);
  const kinds = new Set();
  for (const obj of docs) {
    const key = `${obj.apiVersion}/${obj.kind}`;
    kinds.add(obj.kind);
    const Model = models[key];
    if (!Model) { failures.push(`${name}: no schema for ${key} (${obj.metadata?.name})`); continue; }
    try { new Model(obj).validate(); } catch (e) { failures.push(`${name}: ${key} ${obj.metadata?.name}: ${e.message}`); }
    if (obj.kind === 'Deployment' || obj.kind === 'Job') {
      const pod = obj.spec.template.spec;
      if (pod.securityContext?.runAsNonRoot !== true) failures.push(`${name}: ${obj.metadata.name} may run as root`);
      for (const c of pod.containers) {
        if (c.securityContext?.readOnlyRootFilesystem !== true) failures.push(`${name}: ${c.name} root fs is writable`);
        if (c.securityContext?.allowPrivilegeEscalation !== false) failures.push(`${name}: ${c.name} allows privilege escalation`);
        if (obj.kind === 'Deployment' && (!c.livenessProbe || !c.readinessProbe)) failures.push(`${name}: ${c.name} lacks probes`);
      }
    }
  }
  console.log(`ok: ${name}: ${docs.length} objects (${[...kinds].sort().join(', ')}) validated`);
}

// values.schema.json must reject bad values.
try {
  run(['template', 'desk', chart, '--set', 'secret.databaseUrl=x', '--set', 'services.intake.port=notaport']);
  failures.push('values schema accepted services.intake.port=notaport');
} catch {
  console.log('ok: values.schema.json rejects an invalid port');
}

rmSync(work, { recursive: true, force: true });
if (failures.length) {
  console.error(`FAILED:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('chart check passed');
