import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { workloadOf, type Scenario } from '../../src/scenario/scenario.js';
import { servedModules, transportModule } from '../../src/transports/catalog.js';

function scenario(yaml: string): Scenario {
  const loaded = loadScenarioText(`name: m\n${yaml}`, 'm.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return loaded.scenario;
}

/** The model a phase of the scenario's first transport is compared with. */
function modelOf(s: Scenario) {
  const plan = s.transports[0]!;
  return transportModule(plan.name).model?.(workloadOf(s), plan.settings);
}

describe('the models a phase is compared with', () => {
  it('short polling: half the interval, and e^(−λc·T) empty polls', () => {
    const model = modelOf(scenario('clients: { count: 20 }\nevents: { rate: 40/s, audience: one }\ntransports: { polling: { interval: 500ms } }\n'));
    expect(model?.meanLatencyMs).toBe(250);
    expect(model?.emptyFraction).toBeCloseTo(Math.exp(-1), 9);
  });

  it('short polling over a link: T/2 plus the down delay; chained polls are a round trip further apart', () => {
    const fixed = modelOf(
      scenario('events: { rate: 10/s }\nnetwork: { up: { latency: 30ms }, down: { latency: 50ms } }\ntransports: { polling: { interval: 1s } }\n'),
    );
    expect(fixed?.meanLatencyMs).toBe(550);
    const chained = modelOf(
      scenario(
        'events: { rate: 10/s }\nnetwork: { up: { latency: 30ms }, down: { latency: 50ms } }\ntransports: { polling: { interval: 1s, mode: chained } }\n',
      ),
    );
    expect(chained?.meanLatencyMs).toBe(1_080 / 2 + 50);
  });

  it('long polling: no timeouts expected when the whole phase is shorter than the timeout', () => {
    const s = scenario(
      'duration: 20s\nwarmup: 3s\nclients: { count: 500, rampUp: 2s }\nevents: { rate: 50/s }\ntransports: { long-polling: { timeout: 30s } }\n',
    );
    expect(modelOf(s)?.emptyFraction).toBe(0);
  });

  it('long polling: the steady-state timeouts when the phase is longer', () => {
    const s = scenario('duration: 60s\nclients: { count: 500 }\nevents: { rate: 50/s }\ntransports: { long-polling: { timeout: 30s } }\n');
    // λc = 0.1/s, τ = 30 s, rtt ≈ 0: timeouts per cycle 1/(e^3 − 1) = 0.0524, so 0.0524 / 1.0524 of answers are empty.
    expect(modelOf(s)?.emptyFraction).toBeCloseTo(0.0498, 3);
  });

  it('pull transports have a latency model on loopback, push transports only over an emulated link', () => {
    const loopback = scenario('events: { rate: 10/s }\n');
    // sse-h2 refuses an emulated link (it has no proxy in front of its TLS listener yet): the workload is all the models read.
    const linked = scenario('events: { rate: 10/s }\nnetwork: { latency: 40ms }\ntransports: { sse: {} }\n');
    expect(loopback.transports.map((plan) => plan.name)).toEqual(servedModules().map((module) => module.name));
    for (const plan of loopback.transports) {
      const module = transportModule(plan.name);
      const onLoopback = module.model?.(workloadOf(loopback), plan.settings) ?? null;
      if (module.style === 'push') {
        expect(onLoopback?.meanLatencyMs, plan.name).toBeNull();
        // What one event costs on the socket, framing (and TLS) included: more than the event's payload and JSON.
        expect(onLoopback?.bytesPerDelivery, plan.name).toBeGreaterThan(100 + 50);
      } else expect(onLoopback, plan.name).toBeTruthy();
      expect(module.model?.(workloadOf(linked), plan.settings)?.meanLatencyMs ?? null, plan.name).not.toBeNull();
    }
  });

  it('push bytes per delivery: one event in its framing; no model with heartbeats or compression', () => {
    const bytes = (transports: string) =>
      modelOf(scenario(`clients: { count: 40 }\nevents: { rate: 10/s, payload: 300B, audience: all }\ntransports: { ${transports} }\n`))?.bytesPerDelivery ??
      null;
    const sse = bytes('sse: {}')!;
    // HTTP/2 and TLS 1.3 add 9 + 22 bytes where HTTP/1.1's chunk framing adds 7 (3 hex digits, 2 CRLFs).
    expect(bytes('sse-h2: {}')).toBe(sse - 7 + 31);
    // Four streams of a connection that every event reaches share one TLS record per event.
    expect(bytes('sse-h2: { streamsPerConnection: 4 }')).toBe(sse - 7 + 9 + 22 / 4);
    // 40 clients in groups of 6: 7 connections, the last of 4 streams; 7 records per event for the 40 deliveries.
    expect(bytes('sse-h2: { streamsPerConnection: 6 }')).toBeCloseTo(sse - 7 + 9 + (22 * 7) / 40, 9);
    expect(bytes('http-stream: {}')).toBeLessThan(sse);
    expect(bytes('websocket: {}')).toBeLessThan(bytes('http-stream: {}')!);
    expect(bytes('sse: { heartbeat: 15s }')).toBeNull();
    expect(bytes('websocket: { compression: true }')).toBeNull();
  });
});
