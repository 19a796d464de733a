/** Getting started from the package alone: init, examples, schema and validate from stdin, run as a user would, in a folder of their own. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenarioJsonSchemaText } from '../../src/scenario/json-schema.js';
import { BIN, runCli, tempFiles } from '../helpers/cli.js';

describe('init, examples, schema', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('init writes a starter that validates, and the schema its $schema line names beside it', async () => {
    dir = await tempFiles({});
    const init = await runCli(['init', 'feed', '--template', 'chat'], {}, dir);
    expect(init.code, init.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['feed.yaml', 'push-bench.scenario.schema.json']);
    const text = readFileSync(join(dir, 'feed.yaml'), 'utf8');
    expect(text).toContain('started from the chat-room example');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\/push-bench\.scenario\.schema\.json$/m);
    expect(text).toMatch(/^name: feed$/m);
    expect(readFileSync(join(dir, 'push-bench.scenario.schema.json'), 'utf8')).toBe(scenarioJsonSchemaText());
    const validate = await runCli(['validate', 'feed.yaml'], {}, dir);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('feed.yaml: ok — feed:');
  }, 30_000);

  it('init refuses to replace a file unless --force, and names the examples for a template it does not know', async () => {
    dir = await tempFiles({ 'feed.yaml': 'mine\n' });
    const again = await runCli(['init', 'feed'], {}, dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists; give another name, or --force to replace it');
    expect(readFileSync(join(dir, 'feed.yaml'), 'utf8')).toBe('mine\n');
    const unknown = await runCli(['init', 'x', '--template', 'pigeon'], {}, dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no such example; use one of behind-a-proxy, chat-room');
    expect(existsSync(join(dir, 'x.yaml'))).toBe(false);
    const forced = await runCli(['init', 'feed', '--force', '--template', 'ticker'], {}, dir);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'feed.yaml'), 'utf8')).toContain('started from the stock-ticker example');
  }, 30_000);

  it('examples lists every shipped scenario at a path that exists, with what it shows', async () => {
    const { code, stdout } = await runCli(['examples']);
    expect(code).toBe(0);
    const shipped = readdirSync(new URL('../../scenarios/', import.meta.url)).filter((file) => file.endsWith('.yaml'));
    const paths = [...stdout.matchAll(/^\S+\s+(\/\S+\.yaml)$/gm)].map((match) => match[1]!);
    expect(paths.map((path) => path.split('/').at(-1)).sort()).toEqual(shipped.sort());
    for (const path of paths) expect(existsSync(path), path).toBe(true);
    expect(stdout).toContain('A two-way chat: 200 clients in 20 rooms');
  }, 30_000);

  it('schema prints the scenario JSON Schema with a stable $id, or writes it with --out', async () => {
    const printed = await runCli(['schema']);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toMatchObject({ $id: 'urn:push-bench:scenario-schema', title: 'push-bench scenario' });
    dir = await tempFiles({});
    const written = await runCli(['schema', '--out', join(dir, 's.json')]);
    expect(written.code).toBe(0);
    expect(readFileSync(join(dir, 's.json'), 'utf8')).toBe(scenarioJsonSchemaText());
  }, 30_000);
});

describe('validate -', () => {
  it('reads the scenario from standard input, and locates its problems as <stdin>', () => {
    const ok = spawnSync(process.execPath, [BIN, 'validate', '-'], { input: 'name: piped\nclients: { count: 3 }\n', encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('-: ok — piped:');
    const bad = spawnSync(process.execPath, [BIN, 'validate', '-'], { input: 'name: piped\nclients: { count: 0 }\n', encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^<stdin>:2:19 clients\.count: 0 is out of range/m);
  });
});
