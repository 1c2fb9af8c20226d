import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Every metric a dashboard panel queries must be one the services really register: a renamed metric
// otherwise leaves a panel silently empty.
const root = join(__dirname, '..', '..');
const dashboardsDir = join(root, 'deploy/helm/msp-desk/dashboards');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'test') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.spec.ts')) out.push(p);
  }
  return out;
}

function registeredMetricNames(): Set<string> {
  const files = [...walk(join(root, 'libs')), ...walk(join(root, 'services'))];
  const names = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/['"`](desk_[a-z0-9_]+)['"`]/g)) names.add(m[1]!);
  }
  return names;
}

function dashboardMetricNames(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const file of readdirSync(dashboardsDir).filter((f) => f.endsWith('.json'))) {
    const dash = JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
    for (const p of dash.panels) {
      for (const t of p.targets ?? []) {
        for (const m of t.expr.matchAll(/\b(desk_[a-z0-9_]+)/g)) {
          const base = m[1]!.replace(/_(bucket|sum|count)$/, '');
          used.set(base, [...(used.get(base) ?? []), `${file}: ${p.title}`]);
        }
      }
    }
  }
  return used;
}

describe('Grafana dashboards', () => {
  it('query only metrics the services register', () => {
    const registered = registeredMetricNames();
    const missing = [...dashboardMetricNames()].filter(([name]) => !registered.has(name)).map(([name, where]) => `${name} (${where[0]})`);
    expect(missing).toEqual([]);
  });

  it('use the desk_ prefix and Prometheus naming for counters', () => {
    for (const name of dashboardMetricNames().keys()) {
      expect(name.startsWith('desk_')).toBe(true);
    }
  });
});
