/** The published JSON Schema of scenario files (`push-bench schema` prints it). */
import { jsonSchemaText } from '../tool/json-schema.js';
import { scenarioSchema } from './schema.js';

export function scenarioJsonSchemaText(): string {
  return jsonSchemaText(scenarioSchema, {
    id: 'urn:push-bench:scenario-schema',
    title: 'push-bench scenario',
    description: 'A push-bench scenario file (docs/scenarios.md).',
    io: 'input',
  });
}
