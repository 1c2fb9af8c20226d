import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Runs scripts/check-helm-chart.mjs (helm lint + template + schema validation of every rendered object).
// Where helm is not installed the script prints SKIPPED and this test says so rather than failing a fresh clone.
const root = join(__dirname, '..', '..');

function helmAvailable(): boolean {
  for (const c of ['helm', '/opt/helm/helm']) {
    if (spawnSync(c, ['version', '--short'], { stdio: 'ignore' }).status === 0) return true;
  }
  return false;
}

const hasHelm = helmAvailable();
if (!hasHelm) console.warn('skipped: helm chart check — helm is not installed (run scripts/ensure-helm.sh)');

(hasHelm ? it : it.skip)('the Helm chart lints, renders and validates against the Kubernetes schemas', () => {
  const out = execFileSync(process.execPath, [join(root, 'scripts/check-helm-chart.mjs')], { encoding: 'utf8', cwd: root });
  expect(out).toContain('ok: helm lint --strict');
  expect(out).toMatch(/ok: real-msp: \d+ objects .*ScaledObject.*ServiceMonitor/);
  expect(out).toContain('chart check passed');
}, 120_000);
