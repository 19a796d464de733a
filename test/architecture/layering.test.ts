/**
 * The house of src/ (README.md, Development): rooms on floors, low to high. A room imports its
 * own files and rooms on lower floors only; rooms on one floor do not import each other. The
 * test reads every import of src/ with the TypeScript parser (static, dynamic, `export … from`,
 * `import type`), so a wrong arrow fails here before it spreads.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Low to high. A room is a folder of src/, or a few files of one where a folder holds two
 * floors: a transport module builds on scenario's field vocabulary and on the server's core
 * (event store, cursors, wire format), while the scenario schema and the assembled server are
 * derived from the transport catalog and so sit above it.
 */
const FLOORS: ReadonlyArray<Readonly<Record<string, readonly string[]>>> = [
  { tool: ['tool/'], units: ['units/'], net: ['net/'] },
  { metrics: ['metrics/'] },
  { figures: ['figures/'] },
  { 'scenario fields': ['scenario/fields.ts', 'scenario/suggest.ts'], 'server core': ['server/'] },
  { transports: ['transports/'], conditions: ['conditions/'] },
  { targets: ['targets/'] },
  { scenario: ['scenario/'], server: ['server/server.ts', 'server/options.ts', 'server/index.ts', 'server/child.ts'] },
  { report: ['report/'] },
  { compare: ['compare/'] },
  { runner: ['runner/'] },
  { io: ['io/'], check: ['check/'] },
  { sweep: ['sweep/'] },
  { cli: ['cli/'], api: ['index.ts'] },
];

/**
 * Upward imports of types only that the house allows. The server's options and the transport
 * names are types derived from the transport catalog, which builds on the server core; a type
 * leaves no import behind at run time, so modules still load bottom-up.
 */
const TYPES_FROM_ABOVE: Readonly<Record<string, readonly string[]>> = {
  'server core': ['server/options.ts', 'transports/catalog.ts'],
};

const SRC = resolve(import.meta.dirname, '../../src');

interface Room {
  name: string;
  floor: number;
}

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** The room of a path relative to src/: the longest matching prefix wins, so files can sit apart from their folder. */
function roomOf(path: string): Room | undefined {
  let best: (Room & { prefix: string }) | undefined;
  FLOORS.forEach((rooms, floor) => {
    for (const [name, prefixes] of Object.entries(rooms)) {
      for (const prefix of prefixes) {
        if (path.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) best = { name, floor, prefix };
      }
    }
  });
  return best && { name: best.name, floor: best.floor };
}

/** Paths as the FLOORS write them, also on Windows. */
function posix(path: string): string {
  return path.split(sep).join('/');
}

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map(posix)
    .sort();
}

/** Every relative import of one file, resolved to a path relative to src/ (`./x.js` → `dir/x.ts`). */
function importsOf(path: string): Import[] {
  const file = ts.createSourceFile(path, readFileSync(join(SRC, path), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean): void => {
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) return;
    const target = posix(relative(SRC, resolve(SRC, dirname(path), specifier.text))).replace(/\.js$/, '.ts');
    found.push({ from: path, to: target, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, isTypeOnlyImport(node));
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, isTypeOnlyExport(node));
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], false);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** Why an import breaks the house, or undefined when it may stay. */
function violation({ from, to, typeOnly }: Import): string | undefined {
  const source = roomOf(from);
  const target = roomOf(to);
  if (!source || !target || source.name === target.name) return undefined;
  if (target.floor < source.floor) return undefined;
  if (typeOnly && TYPES_FROM_ABOVE[source.name]?.includes(to)) return undefined;
  const how = target.floor === source.floor ? 'a room on the same floor' : 'a higher room';
  return `src/${from} (${source.name}) imports ${typeOnly ? 'types from ' : ''}src/${to}: ${target.name} is ${how}`;
}

const files = sourceFiles();
const imports = files.flatMap(importsOf);

describe('the house of src/', () => {
  it('has a room for every source file', () => {
    const homeless = files.filter((path) => !roomOf(path));
    expect(homeless.map((path) => `src/${path}: give its folder a floor in FLOORS (${relative(process.cwd(), import.meta.filename)})`)).toEqual([]);
  });

  it('imports only downwards', () => {
    expect(imports.map(violation).filter((v) => v !== undefined)).toEqual([]);
  });

  it('finds the imports it checks (a parser that saw none would pass anything)', () => {
    expect(imports.length).toBeGreaterThan(100);
    expect(imports).toContainEqual({ from: 'cli/main.ts', to: 'tool/package-info.ts', typeOnly: false });
  });
});
