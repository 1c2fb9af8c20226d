// Three tiers, separated by file suffix (see docs/ARCHITECTURE.md "Tests"):
//   *.spec.ts       unit: domain logic, no I/O
//   *.int-spec.ts   integration: the real NATS and PostgreSQL, in-process
//   *.e2e-spec.ts   end-to-end: real processes (built dist/), the sandbox, all six services
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads this config as CommonJS
const swc = JSON.parse(require('fs').readFileSync(__dirname + '/.swcrc', 'utf8'));
const transform = { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false, sourceMaps: 'inline' }] };
const moduleNameMapper = { '^@desk/(contracts|platform|adapters)$': '<rootDir>/libs/$1/src' };
const common = { transform, moduleNameMapper, testEnvironment: 'node', rootDir: __dirname,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'], setupFiles: ['reflect-metadata'] };
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['**/*.int-spec.ts'], slowTestThreshold: 30 },
    { ...common, displayName: 'e2e', testMatch: ['**/*.e2e-spec.ts'], slowTestThreshold: 120 },
  ],
};
