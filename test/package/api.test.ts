/** The library API by the package's own name (self-reference through package.json "exports"), as a dependent imports it. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareResults, loadScenario, runScenario, type Result } from 'push-bench';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');

describe("import 'push-bench'", () => {
  it('loads a shipped scenario with overrides', async () => {
    const loaded = await loadScenario({ file: join(repo, 'scenarios/notifications.yaml'), set: ['clients.count=20'] });
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(loaded.scenario.clients.count).toBe(20);
  });

  it('answers bad text with located problems, not an exception', async () => {
    const loaded = await loadScenario({ text: 'name: x\nduration: soon\n', name: 'inline.yaml' });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.errors.map((p) => [p.file, p.path])).toContainEqual(['inline.yaml', 'duration']);
  });

  it('refuses a transport the scenario does not run, naming the ones it does', async () => {
    const loaded = await loadScenario({ file: join(repo, 'scenarios/notifications.yaml') });
    if (!loaded.ok) throw new Error('the shipped scenario should load');
    await expect(runScenario(loaded.scenario, { transports: ['carrier-pigeon'] })).rejects.toThrow(
      /"carrier-pigeon".*it runs polling, long-polling, sse, websocket/,
    );
  });

  it('compares two results as push-bench compare does', async () => {
    const read = async (name: string) => JSON.parse(await readFile(join(repo, 'test/compare/fixtures', name), 'utf8')) as Result;
    const [baseline, worse] = [await read('baseline.json'), await read('worse.json')];
    const verdicts = (a: Result, b: Result) => compareResults(a, b).figures.map((f) => f.judgement.verdict);
    expect(verdicts(baseline, baseline)).not.toContain('worse');
    expect(verdicts(baseline, worse)).toContain('worse');
    expect(compareResults(baseline, worse, { tolerance: 0.05 }).tolerance).toBe(0.05);
  });
});
