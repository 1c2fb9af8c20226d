#!/usr/bin/env node
// Embedded triage throughput in one process: the full pipeline (input checks, security screen, rules +
// calibrated model, entity resolution against the demo world, priority, policy, route, duplicate store)
// over the repo's labeled tickets, repeated. Prints figures and a last line `RESULT {json}`. Not a test.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../services/triage/tools/ts-register.cjs');
const { runBench } = require('../services/triage/tools/bench.ts');

const result = await runBench({ tickets: Number(process.env.BENCH_TICKETS ?? 5000) }, (line) => console.log(line));
console.log('RESULT ' + JSON.stringify(result));
