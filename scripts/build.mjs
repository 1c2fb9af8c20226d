// Transpiles every workspace's src/ into its dist/ with SWC (type checking is `npm run typecheck`).
// One process for all workspaces keeps `npm start` and the e2e tests quick on a 2-core machine.
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const swc = join(root, 'node_modules', '.bin', 'swc');
for (const ws of workspaces) {
  const src = join(root, ws, 'src');
  if (!existsSync(src)) continue;
  rmSync(join(root, ws, 'dist'), { recursive: true, force: true });
  execFileSync(
    swc,
    ['src', '-d', 'dist', '--strip-leading-paths', '--config-file', join(root, '.swcrc'), '--copy-files', '--ignore', '**/*.spec.ts,**/*.int-spec.ts,**/*.e2e-spec.ts', '-q'],
    { cwd: join(root, ws), stdio: 'inherit' },
  );
}
console.log(`built ${workspaces.length} workspaces`);
