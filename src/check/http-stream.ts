/** GET /stream: the stream's headers and heartbeats as empty lines; delivery as every transport. */
import { deliveryRules } from './delivery.js';
import { openLines } from './receive.js';
import type { Rule } from './rule.js';
import { heartbeatRule, streamHeadersRule } from './stream-rules.js';

export const httpStreamRules: Rule[] = [
  ...deliveryRules('http-stream'),
  streamHeadersRule('http-stream', 'application/x-ndjson', 'no-store'),
  heartbeatRule('http-stream', 'an empty line', async (ctx, path) => {
    const stream = await openLines(ctx, path, ctx.record(`GET ${path}`));
    return { stream, heartbeats: () => stream.lines.filter((line) => line === '').length };
  }),
];
