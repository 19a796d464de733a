/**
 * What tests read of a zod schema when they walk it: wrappers (optional, nullable, default,
 * array) have unwrap(), objects a shape. zod's types do not say which schema has which, so a
 * walk asks at run time; zod schemas are assignable to this as they are.
 */
export interface SchemaNode {
  readonly description?: string | undefined;
  readonly shape?: Readonly<Record<string, SchemaNode>>;
  unwrap?(): SchemaNode;
  isOptional(): boolean;
}
