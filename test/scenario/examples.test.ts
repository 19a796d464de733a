import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchemaText } from '../../src/scenario/json-schema.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

const ROOT = join(import.meta.dirname, '../..');
const files = (await readdir(join(ROOT, 'scenarios'))).filter((f) => f.endsWith('.yaml'));

describe('example scenarios', () => {
  it('include the four the README promises', () => {
    expect(files).toEqual(expect.arrayContaining(['notifications.yaml', 'chat-room.yaml', 'stock-ticker.yaml', 'sparse-updates.yaml']));
  });

  it.each(files)('%s validates, describes itself, points editors at the schema, and runs under a minute per transport', async (name) => {
    const path = join(ROOT, 'scenarios', name);
    const loaded = await loadScenarioFile(path);
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    if (!loaded.ok) return;
    expect(loaded.scenario.description.length).toBeGreaterThan(40);
    const { durationMs, warmupMs, clients } = loaded.scenario;
    expect(durationMs + warmupMs + clients.rampUpMs).toBeLessThan(45_000);
    expect((await readFile(path, 'utf8')).split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
  });
});

describe('the published JSON Schema', () => {
  it('matches the zod schema (run `npm run schema` after changing it)', async () => {
    const committed = await readFile(join(ROOT, 'schema/scenario.schema.json'), 'utf8');
    expect(committed).toBe(scenarioJsonSchemaText());
  });
});
