/** Input crafted to hurt the server gets a 4xx, never a 500. */
import { describe, expect, it } from 'vitest';
import { postJson, register, startServer } from './helpers.js';

/** `depth` nested lists around one value, as JSON text (built as text: the value itself would be as deep). */
const nested = (depth: number, inner: string) => '['.repeat(depth) + inner + ']'.repeat(depth);

async function postText(url: string, text: string): Promise<{ status: number; json: { error?: string; parameter?: string } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
  return { status: response.status, json: (await response.json()) as { error?: string; parameter?: string } };
}

describe('deeply nested JSON', () => {
  it('in a publish spec\'s "to" is a 400 naming the field, not a stack overflow', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const answer = await postText(`${server.url}/publish`, `{"to":[${nested(5_000, '"a"')}],"payloadBytes":1}`);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_parameter', parameter: 'to' });
  });

  it("in a registration's ids is a 400", async () => {
    const server = await startServer();
    const answer = await postText(`${server.url}/clients`, `{"ids":[${nested(5_000, '1')}]}`);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_parameter', parameter: 'ids' });
  });

  it('too deep even to parse is a 400 bad_json', async () => {
    const server = await startServer();
    const answer = await postText(`${server.url}/publish`, nested(200_000, '1'));
    expect(answer.status).toBe(400);
    expect((await postJson(`${server.url}/publish`, { to: 'all' })).status).toBe(200);
  });
});
