/**
 * Standalone migrations (Helm pre-upgrade hook Job, or by hand):
 *   node libs/platform/dist/migrate.js <service>
 * Loads services/<service>/dist/<service>.module.js so PlatformModule.forService declares the service's
 * entities and migrations, then creates the schemas and applies pending migrations. Exit 0 = up to date.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, PlatformEnv } from './config/config';
import { createDataSource, migrateDataSource } from './database/data-source';
import { declaredServices } from './platform.module';

export async function runMigrations(service: string, env: PlatformEnv = loadConfig(PlatformEnv)): Promise<string[]> {
  const options = declaredServices.get(service) ?? { name: service };
  const ds = createDataSource(env, service, options);
  await ds.initialize();
  try {
    return await migrateDataSource(ds, env, service);
  } finally {
    await ds.destroy();
  }
}

function findServiceModule(service: string): string | null {
  const roots = [process.cwd(), resolve(__dirname, '../../..')];
  for (const root of roots) {
    const file = join(root, 'services', service, 'dist', `${service}.module.js`);
    if (existsSync(file)) return file;
  }
  return null;
}

async function main(): Promise<void> {
  const service = process.argv[2];
  if (!service) {
    process.stderr.write('usage: node libs/platform/dist/migrate.js <service>\n');
    process.exit(2);
  }
  const env = loadConfig(PlatformEnv);
  const file = findServiceModule(service);
  if (!file) {
    process.stderr.write(`migrate: services/${service}/dist/${service}.module.js not found (run npm run build)\n`);
    process.exit(1);
  }
  // Evaluating the module runs PlatformModule.forService(...), which declares entities and migrations.
  await import(file);
  const applied = await runMigrations(service, env);
  process.stdout.write(`${service}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`migrate failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
