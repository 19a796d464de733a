import { describe, expect, expectTypeOf, it } from 'vitest';
import type { HistogramSummary } from '../../src/metrics/histogram.js';
import { ResultSchema, type SummaryMs, TransportResultSchema } from '../../src/report/model.js';
import type { SchemaNode } from '../helpers/schema-node.js';
import { loadFixture, rawFixture } from './fixture.js';

/** A value for setAt that removes the field instead. */
const MISSING = Symbol('missing');

describe('ResultSchema', () => {
  it('accepts the fixture', () => {
    expect(ResultSchema.safeParse(rawFixture()).success).toBe(true);
    expect(loadFixture().transports).toHaveLength(4);
  });

  it.each([
    ['a wrong schemaVersion', ['schemaVersion'], 2],
    ['a missing latency figure', ['transports', 0, 'latencyMs', 'p99'], MISSING],
    ['a count as a string', ['transports', 1, 'events', 'delivered'], '1498'],
    ['a negative byte count', ['transports', 2, 'bytes', 'down'], -1],
    ['an ELU above 1', ['transports', 0, 'server', 'elu'], 1.5],
    ['a startedAt that is not a date', ['startedAt'], 'yesterday'],
  ])('rejects %s, naming the path', (_, path, value) => {
    const broken = rawFixture();
    setAt(broken, path, value);
    const parsed = ResultSchema.safeParse(broken);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });

  it('documents every leaf field of a transport result', () => {
    const undocumented = [...leafDescriptions(ResultSchema, 'result'), ...leafDescriptions(TransportResultSchema, 'transport')].filter(
      ([, description]) => !description,
    );
    expect(undocumented.map(([path]) => path)).toEqual([]);
  });

  it('has the same summary shape as the metrics histogram summary', () => {
    expectTypeOf<HistogramSummary>().toEqualTypeOf<SummaryMs>();
  });
});

/** Sets the field at `path` of parsed JSON, or deletes it for MISSING; the objects and arrays on the way must exist. */
function setAt(json: unknown, path: readonly (string | number)[], value: unknown): void {
  let parent = fieldsOf(json);
  for (const step of path.slice(0, -1)) parent = fieldsOf(parent[step]);
  const key = path.at(-1)!;
  if (value === MISSING) delete parent[key];
  else parent[key] = value;
}

/** An object or array of parsed JSON, indexed by key or position. */
function fieldsOf(node: unknown): Record<string | number, unknown> {
  if (typeof node !== 'object' || node === null) throw new Error(`expected an object or array, got ${JSON.stringify(node)}`);
  return node as Record<string | number, unknown>;
}

/** [path, description] of every leaf of a zod object schema (a leaf's own or its wrapper's). */
function leafDescriptions(schema: SchemaNode, path: string): [string, string | undefined][] {
  const inner = schema.unwrap?.() ?? schema;
  if (inner.shape) {
    return Object.entries(inner.shape).flatMap(([key, child]) => leafDescriptions(child, `${path}.${key}`));
  }
  return [[path, schema.description ?? inner.description]];
}
