import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT, UsageError } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { besideResult, reportCommand } from '../../src/cli/report.js';
import { fieldPath } from '../../src/report/parse-result.js';
import { exporters } from '../../src/report/registry.js';
import { fileNameOf } from '../../src/io/result-files.js';
import { loadFixture, rawFixture } from '../report/fixture.js';

const FIXTURE = join(import.meta.dirname, '../report/fixtures/result.json');

/** An Output that keeps what was written, for assertions. */
function capture(): Output & { data: (line: string) => void; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, data: (line) => stdout.push(line), error: (line) => stderr.push(line) };
}

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'push-bench-report-'));
  file = join(dir, 'result.json');
  await copyFile(FIXTURE, file);
});

async function writeJson(name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('push-bench report: every format', () => {
  for (const format of ['md', 'csv', 'html'] as const) {
    it(`${format}: writes ${fileNameOf(exporters[format])} beside the result`, async () => {
      const out = capture();
      expect(await reportCommand(file, { format }, out)).toBe(EXIT.ok);
      const target = join(dir, fileNameOf(exporters[format]));
      expect(await readFile(target, 'utf8')).toBe(exporters[format].serialize(loadFixture()));
      expect(out.stderr).toEqual([`push-bench: wrote ${target}`]);
      expect(out.stdout).toEqual([]);
    });
  }

  it('table: printed on stdout, no file written', async () => {
    const out = capture();
    expect(await reportCommand(file, { format: 'table' }, out)).toBe(EXIT.ok);
    expect(out.stdout.join('\n')).toContain('latency p50 (ms)');
    expect(`${out.stdout.join('\n')}\n`).toBe(exporters.table.serialize(loadFixture()));
    expect(out.stderr).toEqual([]);
  });

  it('csv --csv-layout long: a row per transport and figure; a bad layout is a usage error', async () => {
    const out = capture();
    expect(await reportCommand(file, { format: 'csv', csvLayout: 'long', out: '-' }, out)).toBe(EXIT.ok);
    expect(out.stdout.join('\n').split('\r\n')[0]).toBe('run_id,scenario,started_at,repeat,transport,figure,unit,value');
    await expect(reportCommand(file, { format: 'csv', csvLayout: 'tall' }, capture())).rejects.toThrow('--csv-layout "tall": use wide or long');
  });

  it('html is the default format', async () => {
    expect(await reportCommand(file, {}, capture())).toBe(EXIT.ok);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('json: to another file, and never over the result it reads', async () => {
    const target = join(dir, 'nested', 'copy.json');
    expect(await reportCommand(file, { format: 'json', out: target }, capture())).toBe(EXIT.ok);
    expect(JSON.parse(await readFile(target, 'utf8'))).toEqual(loadFixture());
    await expect(reportCommand(file, { format: 'json' }, capture())).rejects.toThrow(/would replace the result it is made from/);
  });

  it('--out - writes the whole text to stdout and no file', async () => {
    for (const format of ['md', 'csv', 'json', 'html'] as const) {
      const out = capture();
      expect(await reportCommand(file, { format, out: '-' }, out)).toBe(EXIT.ok);
      expect(`${out.stdout.join('\n')}\n`).toBe(exporters[format].serialize(loadFixture()));
      expect(out.stderr).toEqual([]);
    }
  });

  it('keeps the base name of a renamed result', () => {
    expect(besideResult('runs/a/baseline.json', exporters.md)).toBe(join('runs/a', 'baseline.md'));
    expect(besideResult('result.json', exporters.html)).toBe('report.html');
  });
});

describe('push-bench report: bad input is a usage error naming the file', () => {
  it('an unknown format, listing the valid ones', async () => {
    await expect(reportCommand(file, { format: 'xml' }, capture())).rejects.toThrow(
      '--format: unknown format "xml"; valid formats: table, json, csv, md, html',
    );
  });

  it('a missing file', async () => {
    const missing = join(dir, 'nope.json');
    await expect(reportCommand(missing, {}, capture())).rejects.toThrow(new UsageError(`cannot read ${missing}: no such file or folder`));
  });

  it('a file that is not JSON', async () => {
    const path = await writeJson('broken.json', '{"schemaVersion": 1,');
    await expect(reportCommand(path, {}, capture())).rejects.toThrow(new RegExp(`^${path} is not JSON: `));
  });

  it('a result that fails the schema: the first problems with their paths', async () => {
    const raw = rawFixture();
    const transports = raw['transports'] as Record<string, unknown>[];
    transports[1]!['clients'] = 'many';
    delete raw['startedAt'];
    const path = await writeJson('bad-fields.json', raw);
    const error = await reportCommand(path, {}, capture()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      `${path} is not a valid push-bench result:\n  startedAt: Invalid input: expected string, received undefined\n  transports[1].clients: Invalid input: expected number, received string`,
    );
  });

  it('lists at most five problems', async () => {
    const path = await writeJson('empty.json', { schemaVersion: 1 });
    const message = await reportCommand(path, {}, capture()).then(String, (caught: Error) => caught.message);
    expect(message.split('\n')).toHaveLength(1 + 5 + 1);
    expect(message).toMatch(/… and \d+ more$/);
  });

  it('another schema version, saying which this tool reads', async () => {
    const path = await writeJson('future.json', { ...rawFixture(), schemaVersion: 2 });
    await expect(reportCommand(path, {}, capture())).rejects.toThrow(`${path} has schemaVersion 2; push-bench 0.1.0 reads schemaVersion 1 only`);
  });

  it('formats field paths like the JSON they point into', () => {
    expect(fieldPath([])).toBe('(top level)');
    expect(fieldPath(['transports', 0, 'latencyMs', 'p99'])).toBe('transports[0].latencyMs.p99');
  });
});

describe('push-bench report through main: exit codes', () => {
  it('0 on success, 2 with one clean line for a bad file', async () => {
    expect(await main(['node', 'push-bench', 'report', file, '--format', 'md'], capture())).toBe(EXIT.ok);
    const out = capture();
    expect(await main(['node', 'push-bench', 'report', join(dir, 'nope.json')], out)).toBe(EXIT.usage);
    expect(out.stderr).toEqual([`push-bench: cannot read ${join(dir, 'nope.json')}: no such file or folder`]);
  });
});
