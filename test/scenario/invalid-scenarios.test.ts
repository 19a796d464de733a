import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';

/** Prefixes a minimal valid scenario so each fixture breaks exactly one thing. */
const valid = (rest: string) => `name: t\nduration: 5s\n${rest}`;

const aliasBomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...'bcdefghij'.split('').map((c, i) => {
    const prev = 'abcdefghij'[i];
    return `${c}: &${c} [${Array(9).fill(`*${prev}`).join(',')}]`;
  }),
].join('\n');

/** [what, yaml, expected line:col, expected text in the message] */
const fixtures: Array<[string, string, string, string | RegExp]> = [
  ['empty file', '', '1:1', 'the file is empty'],
  ['only a comment', '# nothing here\n', '1:1', 'the file is empty'],
  ['not YAML', 'name: [unclosed\n', '2:1', 'not valid YAML'],
  ['tab indentation', 'name: t\nclients:\n\tcount: 3\n', '3:1', 'not valid YAML'],
  ['a list, not a mapping', '- name: t\n', '1:1', 'not a scenario mapping'],
  ['a bare string', 'hello\n', '1:1', 'not a scenario mapping'],
  ['duplicate keys', 'name: a\nname: b\n', '2:1', /unique/i],
  ['unknown top-level key', valid('duraton: 30s\n'), '3:1', 'unknown key "duraton" (did you mean "duration"?)'],
  ['unknown nested key', valid('clients: { cont: 5 }\n'), '3:12', 'unknown key "cont" (did you mean "count"?)'],
  ['missing name', 'duration: 5s\n', '1:1', 'name: is required'],
  ['bad name', 'name: "my scenario"\n', '1:7', '"my scenario" is not valid'],
  ['duration without unit', 'name: t\nduration: 30\n', '2:11', '30 is not a duration (a unit is required)'],
  ['duration unknown unit', 'name: t\nduration: 30 days\n', '2:11', '"30 days" is not a duration'],
  ['duration zero', 'name: t\nduration: 0s\n', '2:11', '"0s" is too small; use at least 1s'],
  ['duration too long', 'name: t\nduration: 2h\n', '2:11', 'too large; use at most 1h'],
  ['negative warm-up', valid('warmup: -1s\n'), '3:9', '"-1s" is not a duration'],
  ['zero clients', valid('clients: { count: 0 }\n'), '3:19', '0 is out of range'],
  ['negative clients', valid('clients:\n  count: -5\n'), '4:10', '-5 is out of range'],
  ['fractional clients', valid('clients:\n  count: 2.5\n'), '4:10', '2.5 is not a whole number'],
  ['clients as text', valid('clients:\n  count: many\n'), '4:10', '"many" is not a number'],
  ['clients not a mapping', valid('clients: 5\n'), '3:10', '5 is not a mapping'],
  ['rate without unit', valid('events: { rate: 50 }\n'), '3:17', '50 is not a rate (a unit is required)'],
  ['rate per day', valid('events: { rate: 5/d }\n'), '3:17', '"5/d" is not a rate'],
  ['unknown arrival', valid('events: { arrival: poison }\n'), '3:20', '"poison" is not valid here; use one of poisson, uniform, burst'],
  ['burst without size', valid('events: { arrival: burst }\n'), '3:20', 'arrival: burst needs events.burst'],
  ['burst and rate', valid('events: { arrival: burst, rate: 5/s, burst: { size: 5, every: 1s } }\n'), '3:33', 'remove events.rate'],
  ['payload without unit', valid('events: { payload: 200 }\n'), '3:20', '200 is not a size (a unit is required)'],
  ['payload lowercase unit', valid('events: { payload: 2kb }\n'), '3:20', '"2kb" is not a size'],
  ['payload too large', valid('events: { payload: 5MB }\n'), '3:20', 'too large; use at most 1MiB'],
  ['payload zero', valid('events: { payload: 0B }\n'), '3:20', 'too small; use at least 1B'],
  ['audience 0%', valid('events: { audience: 0% }\n'), '3:21', '"0%" reaches no client'],
  ['audience over 100%', valid('events: { audience: 150% }\n'), '3:21', 'more than every client'],
  ['audience word', valid('events: { audience: everyone }\n'), '3:21', '"everyone" is not an audience'],
  ['unknown transport', valid('transports: { websockets: {} }\n'), '3:15', 'unknown key "websockets" (did you mean "websocket"?)'],
  [
    'polling interval word',
    valid('transports:\n  polling: { interval: fast }\n'),
    '4:24',
    '"fast" is not a duration; write e.g. "500ms" or "2s"'.replace(' or "2s"', ''),
  ],
  ['polling mode', valid('transports:\n  polling: { mode: lazy }\n'), '4:20', 'use one of fixed, chained'],
  ['long-poll timeout too long', valid('transports:\n  long-polling: { timeout: 10m }\n'), '4:28', 'use at most 120s'],
  ['compression not boolean', valid('transports:\n  websocket: { compression: yes }\n'), '4:29', '"yes" is not true or false'],
  ['heartbeat word', valid('transports:\n  sse: { heartbeat: sometimes }\n'), '4:21', 'write "off" or e.g.'],
  ['no transports', valid('transports: {}\n'), '3:13', 'no transport to run'],
  ['thresholds not a list', valid('thresholds: fast\n'), '3:13', 'is not a list'],
  ['threshold gibberish', valid('thresholds:\n  - latency is low\n'), '4:5', 'is not a threshold expression'],
  ['threshold unknown transport', valid('thresholds:\n  - carrier-pigeon.latency.p99 < 1s\n'), '4:5', 'names transport "carrier-pigeon"'],
  ['threshold unknown figure', valid('thresholds:\n  - sse.latency.p42 < 1s\n'), '4:5', 'names figure "latency.p42"'],
  ['threshold wrong unit', valid('thresholds:\n  - sse.bytes.perDelivery < 5ms\n'), '4:5', 'write a size such as "2KB"'],
  ['key that is a list', '[a, b]: 1\nname: t\n', '1:1', 'a key must be a plain word'],
  ['alias bomb', aliasBomb, '1:1', /alias/i],
  ['huge file', `name: t\ndescription: "${'x'.repeat(10 * 1_048_576)}"\n`, '1:1', 'a scenario file must be under 1 MiB'],
  ['deep nesting', `name: t\nextra: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n`, /\d+:\d+/.source, /nesting|not valid YAML/],
];

describe('invalid scenarios', () => {
  it(`has at least 25 fixtures (${fixtures.length})`, () => expect(fixtures.length).toBeGreaterThanOrEqual(25));

  it.each(fixtures)('%s', (_what, yaml, at, text) => {
    const started = performance.now();
    const result = loadScenarioText(yaml, 'fixture.yaml');
    // Hostile input must be refused quickly; a second is the limit the issue sets, with room for a loaded machine.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.errors.map(formatProblem);
    const match = lines.find((line) => (typeof text === 'string' ? line.includes(text) : text.test(line)));
    expect(match, `no line matches ${String(text)} in:\n${lines.join('\n')}`).toBeDefined();
    expect(match).toMatch(new RegExp(`^fixture\\.yaml:${at} `));
  });

  it('reports every problem of a file at once, in file order', () => {
    const result = loadScenarioText('name: t\nduration: 30\nwarmup: soon\nclients: { count: 0 }\nfoo: 1\n', 'many.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${e.position?.line}:${e.path}`)).toEqual(['2:duration', '3:warmup', '4:clients.count', '5:foo']);
  });

  it('reports each unknown key of one mapping on its own line', () => {
    const result = loadScenarioText('name: t\nfoo: 1\nbar: 2\n', 'keys.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map(formatProblem)).toEqual([
        expect.stringMatching(/^keys\.yaml:2:1 foo: unknown key "foo"/),
        expect.stringMatching(/^keys\.yaml:3:1 bar: unknown key "bar"/),
      ]);
  });
});
