#!/usr/bin/env node
// Trains on a training split and scores a held-out split the model never saw (split by template group, so a
// template's paraphrases never sit on both sides), against a majority-class and a keyword baseline.
// Last line: RESULT {json}.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../services/triage/tools/ts-register.cjs');
const { runEval } = require('../services/triage/tools/eval.ts');

const result = await runEval((line) => console.log(line));
console.log('RESULT ' + JSON.stringify(result));
