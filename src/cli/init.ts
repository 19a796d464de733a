/**
 * Getting started without the repository: `push-bench examples` lists the scenarios the package
 * ships, `push-bench init` copies one as a starter beside a copy of the JSON Schema its `$schema`
 * line names, and `push-bench schema` prints (or writes) that schema.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { scenarioJsonSchemaText } from '../scenario/json-schema.js';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import type { Output } from './output.js';

/** The package's scenarios folder: two levels above both src/cli and dist/cli. */
const EXAMPLES_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
/** What init writes beside a starter, and what its `$schema` line names: found wherever the two are copied together. */
const SCHEMA_FILE = 'push-bench.scenario.schema.json';
const SCHEMA_LINE = /^# yaml-language-server: \$schema=.*$/m;

interface Example {
  /** The file's name without .yaml, e.g. chat-room: what --template takes. */
  name: string;
  path: string;
  /** Its description's first sentence. */
  summary: string;
}

function examples(): Example[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const path = join(EXAMPLES_DIR, file);
      const described: unknown = (parse(readFileSync(path, 'utf8')) as { description?: unknown } | null)?.description;
      const description = typeof described === 'string' ? described : '';
      // The first sentence: up to a full stop followed by a space (not the one of "1.5").
      const summary = /^[\s\S]*?(?:\.(?=\s)|$)/.exec(description.trim())?.[0] ?? '';
      return { name: basename(file, '.yaml'), path, summary: summary.replace(/\s+/g, ' ') };
    });
}

/** `push-bench examples`: each shipped scenario, where it is, and what it shows. */
export function examplesCommand(out: Output): ExitCode {
  const list = examples();
  const width = Math.max(...list.map((example) => example.name.length));
  for (const example of list) out.data(`${example.name.padEnd(width)}  ${example.path}\n${' '.repeat(width)}  ${example.summary}`);
  return EXIT.ok;
}

/** `push-bench schema [--out FILE]`: the scenario JSON Schema, on stdout or in a file. */
export function schemaCommand(options: { out?: string }, out: Output): ExitCode {
  if (options.out === undefined) {
    out.data(scenarioJsonSchemaText().trimEnd());
    return EXIT.ok;
  }
  writeFileSync(options.out, scenarioJsonSchemaText());
  out.error(`push-bench: wrote ${options.out}`);
  return EXIT.ok;
}

export interface InitOptions {
  template: string;
  force?: boolean;
}

/** A template name: an example's name, or one word of it (chat → chat-room, ticker → stock-ticker). */
function findTemplate(name: string): Example {
  const list = examples();
  const exact = list.find((example) => example.name === name);
  if (exact) return exact;
  const byWord = list.filter((example) => example.name.split('-').includes(name));
  if (byWord.length === 1) return byWord[0]!;
  const names = list.map((example) => example.name).join(', ');
  throw new UsageError(
    byWord.length > 1
      ? `--template ${name}: it could be ${byWord.map((e) => e.name).join(' or ')}; give the whole name`
      : `--template ${name}: no such example; use one of ${names} (push-bench examples says what each shows)`,
  );
}

/** `push-bench init [name]`: `<name>.yaml` from a template, and the schema beside it. */
export function initCommand(name: string, options: InitOptions, out: Output): ExitCode {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    throw new UsageError(
      `init ${JSON.stringify(name)}: a scenario name is 1–64 letters, digits, _ . or -, starting with a letter or digit; e.g. push-bench init my-feed`,
    );
  }
  const file = resolve(name.endsWith('.yaml') ? name : `${name}.yaml`);
  if (existsSync(file) && options.force !== true) throw new UsageError(`init: ${file} exists; give another name, or --force to replace it`);
  const template = findTemplate(options.template);
  const text = readFileSync(template.path, 'utf8')
    .replace(SCHEMA_LINE, `# yaml-language-server: $schema=./${SCHEMA_FILE}`)
    .replace(/^name: .*$/m, `name: ${basename(file, '.yaml')}`);
  const header = [
    `# A push-bench scenario, started from the ${template.name} example (push-bench examples lists them all).`,
    '# Every key, its unit and default: docs/scenarios.md in the package. Your editor checks this file',
    `# against ${SCHEMA_FILE} beside it (push-bench schema --out ${SCHEMA_FILE} writes it again).`,
    `# Check it: push-bench validate ${basename(file)}    Run it: push-bench run ${basename(file)}`,
  ].join('\n');
  writeFileSync(file, `${header}\n${text}`);
  writeFileSync(join(dirname(file), SCHEMA_FILE), scenarioJsonSchemaText());
  out.error(`push-bench: wrote ${file} (from ${template.name}) and ${SCHEMA_FILE} beside it`);
  return EXIT.ok;
}
