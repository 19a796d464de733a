/**
 * The scenario's `target:` key: the server to measure instead of the reference server, as
 * `--target` names it (which wins over it), and, for an adapter's server, where its endpoints
 * are when they are not the default layout.
 */
import { z } from 'zod';
import { strictMapping } from '../scenario/fields.js';
import { parseTargetUrl } from './catalog.js';
import type { NchanPaths } from './nchan/layout.js';

export interface ScenarioTarget {
  /** As written (with an adapter's prefix); null when only --target names it. */
  url: string | null;
  /** nchan's locations, where not the default. */
  paths: Partial<NchanPaths>;
}

const PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@/%-]*$/;

function path(description: string) {
  return z
    .string({ error: (issue) => `${JSON.stringify(issue.input)} is not a path; write e.g. /pub` })
    .regex(PATH, { error: (issue) => `${JSON.stringify(issue.input)} is not a path without query; write e.g. /pub` })
    .optional()
    .meta({ description });
}

const targetMapping = strictMapping(
  {
    url: z
      .string({ error: (issue) => `${JSON.stringify(issue.input)} is not a URL; write e.g. nchan+http://127.0.0.1:8080` })
      .superRefine((text, ctx) => {
        try {
          parseTargetUrl(text);
        } catch (error) {
          ctx.addIssue({ code: 'custom', input: text, message: `${JSON.stringify(text)}: ${(error as Error).message}` });
        }
      })
      .optional()
      .meta({ description: 'The server: http://host:port for one that speaks the wire contract, nchan+http://host:port for nchan. --target wins over it.' }),
    paths: strictMapping(
      {
        publish: path("nchan's publisher location. Default /pub."),
        subscribe: path("nchan's SSE and WebSocket subscriber location. Default /sub."),
        longPoll: path("nchan's long-polling location. Default /long-poll."),
        poll: path("nchan's interval-polling location. Default /poll."),
      },
      '{ publish: /pub, subscribe: /sub, longPoll: /long-poll, poll: /poll }',
    )
      .optional()
      .meta({ description: "Where an adapter's server has its endpoints, when not push-bench's default layout (docs/targets.md)." }),
  },
  '{ url: nchan+http://127.0.0.1:8080, paths: { publish: /pub } }',
);

export function targetField() {
  return z
    .preprocess((value) => (typeof value === 'string' ? { url: value } : value), targetMapping)
    .transform((file): ScenarioTarget => ({
      url: file.url ?? null,
      paths: Object.fromEntries(Object.entries(file.paths ?? {}).filter(([, value]) => value !== undefined)),
    }))
    .meta({
      description:
        'A server that is already running, measured instead of the reference server: a URL, or { url, paths } (docs/targets.md). --target on the command line wins over the URL.',
    });
}
