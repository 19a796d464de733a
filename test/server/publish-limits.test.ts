/** One request cannot make the server do unbounded work: a batch's fan-out has a limit. */
import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../src/server/errors.js';
import { clientIds, postJson, register, startServer } from './helpers.js';

const spec = { to: 'all', payloadBytes: 10 };

describe('POST /publish fan-out per request', () => {
  it('refuses a batch past maxFanOutPerRequest with 413 fan_out_too_large, naming the limit', async () => {
    const server = await startServer({ maxFanOutPerRequest: 100 });
    await register(server, clientIds(50));
    const over = await postJson<ErrorBody>(`${server.url}/publish`, [spec, spec, spec]);
    expect(over.status).toBe(413);
    expect(over.json).toMatchObject({ error: 'fan_out_too_large', parameter: 'body' });
    expect(over.json?.message).toContain('would append 150 events');
    expect(over.json?.message).toContain('maxFanOutPerRequest is 100');
    expect((await postJson(`${server.url}/publish`, [spec, spec])).status).toBe(200);
    expect((await postJson(`${server.url}/publish`, [{ to: clientIds(50), payloadBytes: 1 }, spec])).status).toBe(200);
  });

  it('always accepts a single event, whatever its audience', async () => {
    const server = await startServer({ maxFanOutPerRequest: 10 });
    await register(server, clientIds(50));
    expect((await postJson(`${server.url}/publish`, spec)).status).toBe(200);
    expect((await postJson(`${server.url}/publish`, [spec])).status).toBe(200);
  });

  it('answers a 1,000-event broadcast batch to 140,000 clients with 413 at once and keeps serving', async () => {
    const server = await startServer();
    for (let i = 0; i < 140_000; i += 20_000) await register(server, clientIds(20_000, `c${i}-`));
    const answer = await postJson<ErrorBody>(
      `${server.url}/publish`,
      Array.from({ length: 1_000 }, () => spec),
    );
    expect(answer.status).toBe(413);
    expect(answer.json?.message).toContain('would append 140000000 events');
    // Refused before any fan-out (the same request used to block the server for 17 s and grow it by 1.9 GB).
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
