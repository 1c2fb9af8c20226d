/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS require hook has to use require() */
// Lets the knowledge eval and bench scripts run the TypeScript sources directly (no build step):
// .ts files are transpiled with SWC on require, and @desk/<lib> resolves to libs/<lib>/src.
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;

const origResolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@desk\/(contracts|platform|adapters)$/.exec(request);
  if (m) request = path.join(root, 'libs', m[1], 'src', 'index.ts');
  try {
    return origResolve.call(this, request, parent, ...rest);
  } catch (err) {
    if (request.startsWith('.') && parent && parent.filename) {
      for (const ext of ['.ts', '/index.ts']) {
        const candidate = path.resolve(path.dirname(parent.filename), request + ext);
        if (fs.existsSync(candidate)) return candidate;
      }
    }
    throw err;
  }
};

Module._extensions['.ts'] = function (module, filename) {
  const src = fs.readFileSync(filename, 'utf8');
  const out = transformSync(src, { ...swcrc, filename, sourceMaps: 'inline', swcrc: false });
  module._compile(out.code, filename);
};
