/**
 * schema/result.schema.json, the published JSON Schema of result.json: generated from the zod
 * model (a drift test), and usable by a standard validator (Ajv, draft 2020-12) on real results.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { resultJsonSchemaText } from '../../src/report/json-schema.js';
import { sweepJsonSchemaText } from '../../src/sweep/json-schema.js';
import { rawFixture } from './fixture.js';

const ROOT = join(import.meta.dirname, '../..');
const committed = readFileSync(join(ROOT, 'schema/result.schema.json'), 'utf8');
const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(JSON.parse(committed) as object);
const COMPARE_FIXTURES = join(ROOT, 'test/compare/fixtures');

describe('schema/result.schema.json', () => {
  it('matches the zod result model (run `npm run schema` after changing it)', () => {
    expect(committed).toBe(resultJsonSchemaText());
  });

  it('schema/sweep.schema.json matches the zod sweep model too', () => {
    expect(readFileSync(join(ROOT, 'schema/sweep.schema.json'), 'utf8')).toBe(sweepJsonSchemaText());
  });

  it('has a stable id and is shipped with the package', () => {
    expect((JSON.parse(committed) as { $id: string }).$id).toBe('urn:push-bench:result-schema');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schema');
  });

  it.each<readonly [string, unknown]>([
    ['the report fixture', rawFixture()],
    ...readdirSync(COMPARE_FIXTURES)
      .filter((file) => file.endsWith('.json') && !['invalid.json', 'schema-v2.json'].includes(file))
      .map((file) => [file, JSON.parse(readFileSync(join(COMPARE_FIXTURES, file), 'utf8')) as unknown] as const),
  ])('accepts %s', (_, result) => {
    expect(validate(result), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('rejects what the model rejects: a count as a string, an unknown schemaVersion', () => {
    const broken = rawFixture() as { schemaVersion: number; transports: Array<{ events: { delivered: unknown } }> };
    broken.transports[0]!.events.delivered = '12';
    expect(validate(broken)).toBe(false);
    expect(validate({ ...rawFixture(), schemaVersion: 2 })).toBe(false);
  });
});
