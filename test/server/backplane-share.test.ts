/** A server process of a split server keeps, of each backplane batch, the recipients it holds; a bad batch appends nothing. */
import { describe, expect, it } from 'vitest';
import { getJson, register, startServer, stats, type PollBody } from './helpers.js';

describe('a backplane batch', () => {
  it('is appended for the clients this process holds; the others are left to their processes', async () => {
    const server = await startServer();
    await register(server, ['c0', 'c3']);
    server.deliverShare(
      JSON.stringify([
        { to: ['c0', 'c1', 'c2'], intended: '1', payloadBytes: 4 },
        { to: ['c1'], intended: '2', payloadBytes: 4 },
        { to: 'all', intended: '3', payloadBytes: 4 },
      ]),
    );
    const c0 = (await getJson<PollBody>(`${server.url}/poll?client=c0&after=0`)).json!;
    const c3 = (await getJson<PollBody>(`${server.url}/poll?client=c3&after=0`)).json!;
    expect(c0.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(c3.events.map((e) => e.seq)).toEqual([1]);
    expect((await stats(server)).events.appended).toBe(3);
  });

  it('that is malformed throws and appends nothing (the server process logs it and goes on)', async () => {
    const server = await startServer();
    await register(server, ['c0']);
    expect(() => server.deliverShare('not json')).toThrow();
    expect(() => server.deliverShare(JSON.stringify({ to: 'all' }))).toThrow(/array of event specs/);
    expect(() => server.deliverShare(JSON.stringify([{ to: ['c0'], intended: 'soon' }]))).toThrow(/intended/);
    expect((await stats(server)).events.appended).toBe(0);
  });
});
