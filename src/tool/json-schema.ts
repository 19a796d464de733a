/** A published JSON Schema, generated from a zod schema so the two cannot drift. */
import { z } from 'zod';

export interface SchemaMeta {
  /** A stable name, not a web address: the schema travels with the package. */
  id: string;
  title: string;
  description: string;
  /** `input`: what people write (unit strings), not what the loader turns them into; `output`: what push-bench writes. */
  io: 'input' | 'output';
}

/** The schema's text as committed: stable key order, two-space indent, final newline. */
export function jsonSchemaText(schema: z.ZodType, meta: SchemaMeta): string {
  const generated = z.toJSONSchema(schema, { io: meta.io, unrepresentable: 'any' });
  return `${JSON.stringify({ ...generated, $id: meta.id, title: meta.title, description: meta.description }, null, 2)}\n`;
}
