/** The published JSON Schema of result.json (schema/result.schema.json), for tools that read results without push-bench. */
import { jsonSchemaText } from '../tool/json-schema.js';
import { ResultSchema } from './model.js';

export function resultJsonSchemaText(): string {
  return jsonSchemaText(ResultSchema, {
    id: 'urn:push-bench:result-schema',
    title: 'push-bench result',
    description: 'result.json as push-bench run writes it (docs/metrics.md): every figure of every transport, in base units.',
    io: 'output',
  });
}
