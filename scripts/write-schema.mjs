// Regenerates the published JSON Schemas from the zod schemas (run `npm run schema` after changing either).
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchemaText } from '../dist/scenario/json-schema.js';
import { resultJsonSchemaText } from '../dist/report/json-schema.js';
import { sweepJsonSchemaText } from '../dist/sweep/json-schema.js';

for (const [file, text] of [
  ['scenario.schema.json', scenarioJsonSchemaText()],
  ['result.schema.json', resultJsonSchemaText()],
  ['sweep.schema.json', sweepJsonSchemaText()],
]) {
  writeFileSync(new URL(`../schema/${file}`, import.meta.url), text);
  console.error(`wrote schema/${file}`);
}
