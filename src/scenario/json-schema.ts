/** The published JSON Schema of scenario files, generated from the zod schema so the two cannot drift. */
import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/** A stable name, not a web address: the schema travels with the package (`push-bench schema` prints it). */
const SCHEMA_ID = 'urn:push-bench:scenario-schema';

function scenarioJsonSchema(): Record<string, unknown> {
  // io: 'input' describes what people write (unit strings), not what the loader turns them into.
  const generated = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
  return { ...generated, $id: SCHEMA_ID, title: 'push-bench scenario', description: 'A push-bench scenario file (docs/scenarios.md).' };
}

/** The file's text as committed: stable key order, two-space indent, final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
