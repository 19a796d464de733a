import { describe, expect, expectTypeOf, it } from 'vitest';
import type { HistogramSummary } from '../../src/metrics/histogram.js';
import { ResultSchema, type SummaryMs, TransportResultSchema } from '../../src/report/model.js';
import { loadFixture, rawFixture } from './fixture.js';

describe('ResultSchema', () => {
  it('accepts the fixture', () => {
    expect(ResultSchema.safeParse(rawFixture()).success).toBe(true);
    expect(loadFixture().transports).toHaveLength(4);
  });

  it.each([
    [
      'a wrong schemaVersion',
      (r: any) => {
        r.schemaVersion = 2;
      },
      ['schemaVersion'],
    ],
    [
      'a missing latency figure',
      (r: any) => {
        delete r.transports[0].latencyMs.p99;
      },
      ['transports', 0, 'latencyMs', 'p99'],
    ],
    [
      'a count as a string',
      (r: any) => {
        r.transports[1].events.delivered = '1498';
      },
      ['transports', 1, 'events', 'delivered'],
    ],
    [
      'a negative byte count',
      (r: any) => {
        r.transports[2].bytes.down = -1;
      },
      ['transports', 2, 'bytes', 'down'],
    ],
    [
      'an ELU above 1',
      (r: any) => {
        r.transports[0].server.elu = 1.5;
      },
      ['transports', 0, 'server', 'elu'],
    ],
    [
      'a startedAt that is not a date',
      (r: any) => {
        r.startedAt = 'yesterday';
      },
      ['startedAt'],
    ],
  ])('rejects %s, naming the path', (_, breakIt, path) => {
    const broken = rawFixture();
    breakIt(broken);
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

/** [path, description] of every leaf of a zod object schema (a leaf's own or its wrapper's). */
function leafDescriptions(schema: any, path: string): [string, string | undefined][] {
  const inner = schema.unwrap?.() ?? schema;
  if (inner.shape) {
    return Object.entries(inner.shape).flatMap(([key, child]) => leafDescriptions(child, `${path}.${key}`));
  }
  return [[path, schema.description ?? inner.description]];
}
