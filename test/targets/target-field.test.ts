/** The scenario's `target:` key: a URL, or { url, paths }; a bad one is refused where it is written. */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';

const base = 'name: t\nduration: 1s\nclients: { count: 2 }\nevents: { rate: 1/s }\ntransports: { sse: {} }\n';

function problems(target: string): string[] {
  const loaded = loadScenarioText(`${base}target: ${target}\n`, 't.yaml');
  return loaded.ok ? [] : loaded.errors.map(formatProblem);
}

describe('target:', () => {
  it('takes a URL alone, or a URL with the paths of an nchan of ones own', () => {
    const plain = loadScenarioText(`${base}target: nchan+http://127.0.0.1:8080\n`, 't.yaml');
    expect(plain.ok && plain.scenario.target).toEqual({ url: 'nchan+http://127.0.0.1:8080', paths: {} });
    const withPaths = loadScenarioText(`${base}target: { paths: { publish: /push/pub, poll: /push/poll } }\n`, 't.yaml');
    expect(withPaths.ok && withPaths.scenario.target).toEqual({ url: null, paths: { publish: '/push/pub', poll: '/push/poll' } });
    const none = loadScenarioText(base, 't.yaml');
    expect(none.ok && none.scenario.target).toBeNull();
  });

  it('refuses, at its line, a URL of no known server, one with a path, a path that is not one, and a key it does not know', () => {
    expect(problems('kafka+http://127.0.0.1:9092')).toEqual([expect.stringMatching(/^t\.yaml:6:\d+ .*"kafka\+" names no server push-bench knows/)]);
    expect(problems('http://127.0.0.1:8080/api')).toEqual([expect.stringContaining("give the server's base URL, without a path")]);
    expect(problems('{ paths: { publish: pub } }')).toEqual([expect.stringContaining('"pub" is not a path without query; write e.g. /pub')]);
    expect(problems('{ paths: { subscriber: /sub } }')).toEqual([expect.stringContaining('subscriber')]);
  });
});
