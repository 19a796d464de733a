/** A web page must not drive the server; a token, when set, is required on control POSTs. */
import { describe, expect, it } from 'vitest';
import { register, startServer } from './helpers.js';

const JSON_TYPE = { 'content-type': 'application/json' };

async function post(url: string, headers: Record<string, string>, body = '{"to":"all","payloadBytes":1}') {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, json: (await response.json()) as { error?: string }, headers: response.headers };
}

describe('control endpoints', () => {
  it('accept only application/json (a form or text/plain from a page is 415)', async () => {
    const server = await startServer();
    await register(server, ['a']);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect(await post(`${server.url}/publish`, { 'content-type': type })).toMatchObject({ status: 415, json: { error: 'unsupported_media_type' } });
    }
    expect((await post(`${server.url}/reset`, { 'content-type': 'text/plain' }, '')).status).toBe(415);
    expect((await post(`${server.url}/publish`, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('refuse another origin, whatever the content type', async () => {
    const server = await startServer();
    await register(server, ['a']);
    expect(await post(`${server.url}/reset`, { ...JSON_TYPE, origin: 'https://evil.example' }, '')).toMatchObject({
      status: 403,
      json: { error: 'cross_origin' },
    });
    expect((await post(`${server.url}/publish`, { ...JSON_TYPE, origin: server.url })).status).toBe(200);
    // Reading is not guarded: clients and dashboards may poll from anywhere.
    expect((await fetch(`${server.url}/stats`, { headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });

  it('with a token, require it as a bearer token', async () => {
    const server = await startServer({ token: 's3cret-token', autoRegister: true });
    const refused = await post(`${server.url}/publish`, JSON_TYPE);
    expect(refused).toMatchObject({ status: 401, json: { error: 'unauthorized' } });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(`${server.url}/publish`, { ...JSON_TYPE, authorization: 'Bearer wrong-token!' })).status).toBe(401);
    expect((await post(`${server.url}/publish`, { ...JSON_TYPE, authorization: 'Bearer s3cret-token' })).status).toBe(200);
    expect((await fetch(`${server.url}/poll?client=a`)).status).toBe(200);
    await expect(startServer({ token: 'short' })).rejects.toThrow('at least 8 characters');
  });
});
