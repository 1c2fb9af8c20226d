import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');

interface ComposeService { build?: { context: string; dockerfile: string }; image?: string }

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

  it('builds every desk image from this repository\'s Dockerfile', () => {
    const desk = ['sandbox', 'intake', 'triage', 'knowledge', 'executor', 'verifier', 'psa-writer', 'demo'];
    for (const name of desk) {
      const svc = compose.services[name];
      expect(svc).toBeDefined();
      expect(svc!.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    }
    for (const [name, svc] of Object.entries(compose.services)) {
      if (svc.build) expect(`${name}:${svc.build.dockerfile}`).toBe(`${name}:Dockerfile`);
    }
  });

  const tool = ['docker-compose', 'docker'].find((t) => spawnSync(t, t === 'docker' ? ['compose', 'version'] : ['version'], { stdio: 'ignore' }).status === 0);
  if (!tool) console.warn('skipped: `compose config` — neither docker compose nor docker-compose is installed');
  (tool ? it : it.skip)('is accepted by `compose config`', () => {
    const args = tool === 'docker' ? ['compose', 'config', '-q'] : ['config', '-q'];
    const r = spawnSync(tool!, args, { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
