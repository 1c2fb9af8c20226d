/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS require hook has to require */
// Lets the triage scripts (train, eval, bench) run the service's TypeScript directly: a require hook that
// transpiles .ts with SWC (same settings as the build) and maps @desk/* to libs/*/src like jest does.
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const root = join(__dirname, '..', '..', '..');
const swc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
delete swc.$schema;
const origResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@desk\/(contracts|platform|adapters)$/.exec(request);
  if (m) request = join(root, 'libs', m[1], 'src');
  return origResolve.call(this, request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swc, filename, swcrc: false, sourceMaps: 'inline' });
  module._compile(code, filename);
};
