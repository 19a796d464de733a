/** The published JSON Schema of sweep.json (schema/sweep.schema.json). */
import { jsonSchemaText } from '../tool/json-schema.js';
import { SweepSchema } from './model.js';

export function sweepJsonSchemaText(): string {
  return jsonSchemaText(SweepSchema, {
    id: 'urn:push-bench:sweep-schema',
    title: 'push-bench sweep',
    description: 'sweep.json as push-bench sweep writes it (docs/sweeps.md): every point of the grid with its whole result.',
    io: 'output',
  });
}
