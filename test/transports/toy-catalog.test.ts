/**
 * A transport is one folder: the toy in ./toy/ is registered in a copy of the catalog and
 * reaches the scenario schema, planning, rules, thresholds and the reference server with no
 * edit outside its folder; and a module that lacks a piece does not compile.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadScenarioText } from '../../src/scenario/load.js';
import { scenarioSchemaFor } from '../../src/scenario/schema.js';
import { parseThreshold } from '../../src/scenario/thresholds.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { servedModules, TRANSPORT_NAMES, TRANSPORTS } from '../../src/transports/catalog.js';
import type { TransportModule } from '../../src/transports/module.js';
import { SocketMeter } from '../../src/transports/socket-meter.js';
import { getJson, publish, register } from '../server/helpers.js';
import { RecordingSink, seededRandom, waitFor } from './helpers.js';
import { toyTransport, type ToyServerOptions } from './toy/index.js';
import type { ToySettings } from './toy/settings.js';

const catalog = [...TRANSPORTS, toyTransport];

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function load(yaml: string) {
  return loadScenarioText(`name: toy\n${yaml}`, 'toy.yaml', [], catalog);
}

describe('a toy transport added to a copy of the catalog', () => {
  it('is a scenario key with its own settings and defaults, planned in catalog order', () => {
    const loaded = load('transports:\n  toy: { every: 5ms }\n  sse: {}\n');
    expect(loaded.ok && loaded.scenario.transports).toEqual([
      { name: 'sse', settings: { heartbeatMs: null } },
      { name: 'toy', settings: { everyMs: 5 } },
    ]);
    const all = load('duration: 2s\n');
    expect(all.ok && all.scenario.transports.map((plan) => plan.name)).toEqual([...servedModules().map((module) => module.name), 'toy']);
    expect(all.ok && all.scenario.transports.at(-1)).toEqual({ name: 'toy', settings: { everyMs: 20 } });
  });

  it('gets located errors from its own schema and warnings from its own rules', () => {
    const typo = load('transports:\n  toy: { evry: 5ms }\n');
    expect(typo.ok).toBe(false);
    expect(!typo.ok && typo.errors[0]).toMatchObject({ path: 'transports.toy.evry', position: { line: 3, col: 10 } });
    expect(!typo.ok && typo.errors[0]?.message).toContain('did you mean "every"?');
    const slow = load('duration: 1s\ntransports:\n  toy: { every: 50s }\n');
    expect(slow.ok && slow.warnings.map((w) => w.path)).toContain('transports.toy.every');
  });

  it('is known to thresholds and to the published JSON Schema', () => {
    expect(
      parseThreshold(
        'toy.latency.p99 < 1s',
        catalog.map((m) => m.name),
      ).ok,
    ).toBe(true);
    expect(parseThreshold('toy.latency.p99 < 1s').ok).toBe(false);
    const jsonSchema = z.toJSONSchema(scenarioSchemaFor(catalog), { io: 'input', unrepresentable: 'any' }) as unknown as {
      properties: { transports: { properties: Record<string, unknown> } };
    };
    expect(Object.keys(jsonSchema.properties.transports.properties)).toEqual([...TRANSPORT_NAMES, 'toy']);
  });

  it('is served by the reference server, with its options, and its client delivers events', async () => {
    const server = await startReferenceServer({ transports: { toy: { greeting: 'ahoy' } } } as never, catalog);
    servers.push(server);
    expect(server.options.transports).toMatchObject({ toy: { greeting: 'ahoy' }, sse: { retryMs: 1000 } });
    await register(server, ['t0']);
    const sink = new RecordingSink();
    const settings = toyTransport.settings.parse({ every: '5ms' });
    const client = toyTransport.createClient({
      baseUrl: server.url,
      clientId: 't0',
      clientIndex: 0,
      settings,
      sink,
      meter: new SocketMeter(),
      random: seededRandom(1),
    });
    await client.start();
    try {
      for (let i = 0; i < 5; i++) await publish(server, { to: ['t0'], intended: String(process.hrtime.bigint()), payloadBytes: 10 });
      await waitFor(() => sink.totalEvents() >= 5, 'five toy deliveries', 10_000);
      expect(sink.seqs(0)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await client.stop();
    }
    const answer = await fetch(`${server.url}/toy?client=t0&after=5`);
    expect(answer.headers.get('x-toy-greeting')).toBe('ahoy');
    const stats = (await getJson(`${server.url}/stats`)).json as { transports: Record<string, { requests: number }> };
    expect(stats.transports.toy?.requests).toBeGreaterThan(0);
  });

  it('refuses bad server options through its own check', async () => {
    await expect(startReferenceServer({ transports: { toy: { greeting: '' } } } as never, catalog)).rejects.toThrow('transports.toy.greeting');
    await expect(startReferenceServer({ transports: { toy: {} } } as never)).rejects.toThrow('transports.toy: no such transport');
  });

  it('may not take a path another endpoint serves: the server refuses to start, naming both', async () => {
    const thief = {
      ...toyTransport,
      name: 'thief',
      server: {
        ...toyTransport.server,
        endpoint: () => ({ routes: [{ path: '/sse', method: 'GET' as const, handle: () => undefined }], closeAll: () => undefined }),
      },
    };
    await expect(startReferenceServer({}, [...TRANSPORTS, thief])).rejects.toThrow('route /sse is claimed twice (by sse and thief)');
  });

  it('must have every piece: a module without one does not compile', () => {
    const { createClient: _client, ...withoutClient } = toyTransport;
    const { endpoint: _endpoint, ...serverWithoutEndpoint } = toyTransport.server;
    // @ts-expect-error -- no createClient: `npm test` type-checks this file, so a TransportModule that let it go would fail there.
    const noClient = withoutClient satisfies TransportModule<'toy', ToySettings, ToyServerOptions>;
    // @ts-expect-error -- no server endpoint
    const noEndpoint = { ...toyTransport, server: serverWithoutEndpoint } satisfies TransportModule<'toy', ToySettings, ToyServerOptions>;
    expect(Object.keys(noClient)).not.toContain('createClient');
    expect(Object.keys(noEndpoint.server)).not.toContain('endpoint');
  });
});
