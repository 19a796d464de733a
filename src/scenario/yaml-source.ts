/**
 * YAML text → a document that remembers where every value came from, with the limits that
 * keep hostile input (alias bombs, huge files, deep nesting) from hanging or crashing us.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';

/** Scenario files are a screenful; anything this large is a mistake or an attack. */
const MAX_FILE_BYTES = 1_048_576;
/** A scenario nests four levels deep; far deeper means something else was loaded. */
const MAX_DEPTH = 16;
/** Aliases are legitimate YAML but a scenario needs few; many signal an expansion bomb. */
const MAX_ALIASES = 50;

export interface Position {
  line: number;
  col: number;
}

interface SourceProblem extends Position {
  message: string;
}

export interface YamlSource {
  doc: Document.Parsed;
  lines: LineCounter;
}

export type YamlParse = { ok: true; source: YamlSource; data: unknown } | { ok: false; problems: SourceProblem[] };

export function parseYaml(text: string): YamlParse {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_FILE_BYTES) {
    return fail(1, 1, `the file is ${(bytes / 1_048_576).toFixed(1)} MiB; a scenario file must be under 1 MiB (did you pass the wrong file?)`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true, strict: true });
  const problems: SourceProblem[] = doc.errors.map((error) => {
    const at = error.linePos?.[0] ?? { line: 1, col: 1 };
    const first = error.message.split('\n')[0] ?? error.message;
    return { line: at.line, col: at.col, message: `${first.replace(/ at line \d+, column \d+:?$/, '')} (not valid YAML)` };
  });
  if (problems.length > 0) return { ok: false, problems };

  const shapeProblem = checkShape(doc, lines);
  if (shapeProblem) return { ok: false, problems: [shapeProblem] };

  try {
    return { ok: true, source: { doc, lines }, data: doc.toJS({ maxAliasCount: MAX_ALIASES }) };
  } catch (error) {
    return fail(1, 1, `the YAML could not be expanded: ${(error as Error).message}; a scenario needs no more than a few aliases`);
  }
}

function fail(line: number, col: number, message: string): YamlParse {
  return { ok: false, problems: [{ line, col, message }] };
}

/** Depth and key checks on the syntax tree, iteratively so that depth itself cannot overflow the stack. */
function checkShape(doc: Document.Parsed, lines: LineCounter): SourceProblem | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) {
      return { ...positionOf(node as Node, lines), message: `nesting is deeper than ${MAX_DEPTH} levels; a scenario nests at most 4 (see docs/scenarios.md)` };
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) {
          return { ...positionOf(pair.key as Node, lines), message: 'a key must be a plain word such as "duration", not a list or mapping' };
        }
        stack.push({ node: pair.value, depth: depth + 1 });
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

function positionOf(node: Node | null | undefined, lines: LineCounter): Position {
  const offset = node?.range?.[0] ?? 0;
  return lines.linePos(offset);
}

/**
 * Where the value at `path` was written; `key: true` points at the key instead (for unknown
 * keys). A path that does not exist points at the deepest part that does (a missing key is
 * reported where its mapping is).
 */
export function locate(source: YamlSource, path: ReadonlyArray<PropertyKey>, options: { key?: boolean } = {}): Position {
  let node: unknown = source.doc.contents;
  let at: Position = positionOf(node as Node, source.lines);
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return at;
      at = positionOf((last && options.key ? pair.key : (pair.value ?? pair.key)) as Node, source.lines);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return at;
      at = positionOf(item as Node, source.lines);
      node = item;
    } else {
      return at;
    }
  }
  return at;
}
