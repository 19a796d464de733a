// Regenerates schema/scenario.schema.json from the zod schema (run `npm run schema` after changing it).
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchemaText } from '../dist/scenario/json-schema.js';

writeFileSync(new URL('../schema/scenario.schema.json', import.meta.url), scenarioJsonSchemaText());
console.error('wrote schema/scenario.schema.json');
