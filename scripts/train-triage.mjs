#!/usr/bin/env node
// Trains the embedded triage classifier from data/triage/*.jsonl and writes services/triage/model/triage-model.json.
// Reproducible: fixed seed, examples sorted by id, so the same data gives the same file byte for byte.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
require('../services/triage/tools/ts-register.cjs');
const { loadTrainingData, describeSharedDataset, MODEL_PATH } = require('../services/triage/tools/dataset.ts');
const { trainClassifier } = require('../services/triage/src/domain/classifier/train.ts');

const started = Date.now();
console.log(describeSharedDataset());
const rows = loadTrainingData();
const model = trainClassifier(rows);
writeFileSync(MODEL_PATH, JSON.stringify(model.file) + '\n');
console.log(`trained on ${rows.length} examples, ${model.file.vocab.length} features, temperature ${model.file.temperature}, ` +
  `data sha256 ${model.file.meta.dataSha256.slice(0, 12)}, ${((Date.now() - started) / 1000).toFixed(1)}s -> ${MODEL_PATH}`);
