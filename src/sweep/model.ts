/**
 * sweep.json: one document holding every point of a sweep with its whole result, rewritten
 * (atomically) as each point finishes, so an interrupted sweep keeps its finished points and
 * `--resume` knows which are left. Its JSON Schema is published as schema/sweep.schema.json.
 */
import { z } from 'zod';
import { ResultSchema } from '../report/model.js';

const SweepPointSchema = z.object({
  index: z.number().int().nonnegative().describe('Place of the point in the grid, 0-based; the first parameter changes fastest.'),
  key: z.string().describe('The point\'s overrides joined by spaces, e.g. "events.rate=1/s clients.count=100": what --resume matches on.'),
  values: z.array(z.string()).describe('The value of each varied parameter at this point, in --vary order, as written.'),
  status: z.enum(['done', 'failed']).describe('done: every transport ran; failed: the run failed (its result keeps what was measured).'),
  error: z.string().optional().describe('Why the point failed, when it did.'),
  result: ResultSchema.describe("The point's whole result, as result.json holds it."),
});

export const SweepSchema = z
  .object({
    schemaVersion: z.literal(1).describe('Version of this format; bumped on any incompatible change.'),
    kind: z.literal('push-bench-sweep').describe('Says what this document is.'),
    tool: z.object({ name: z.string(), version: z.string() }).describe('What produced the sweep.'),
    scenarioFile: z.string().describe('The scenario file as given on the command line.'),
    fingerprint: z
      .string()
      .describe('SHA-256 of the scenario text, the --set overrides and --repeat: a sweep resumes only with the same inputs, or its points would not compare.'),
    sets: z.array(z.string()).describe('The --set overrides every point shares.'),
    vary: z
      .array(z.object({ path: z.string().describe('The scenario path varied.'), values: z.array(z.string()).describe('Its values, in order, as written.') }))
      .describe('The varied parameters: one (a line) or two (a grid; the first is the x axis).'),
    repeat: z.number().int().positive().describe('Repeats of each point (--repeat).'),
    choose: z
      .object({
        budget: z.string().describe('What the choice at each point must meet, e.g. "latency.p99 < 2s".'),
        minimise: z.string().describe('The figure the choice minimises, e.g. "bytes.perDelivery".'),
      })
      .optional()
      .describe("The recommendation asked for (--budget and --minimise, or the scenario's sweep: section); absent when none was."),
    startedAt: z.iso.datetime({ offset: true }).describe('When the sweep first started, ISO 8601.'),
    finishedAt: z.iso.datetime({ offset: true }).optional().describe('When its last point finished; absent while points are left.'),
    points: z.array(SweepPointSchema).describe('The finished points, in grid order.'),
  })
  .describe('A push-bench sweep (sweep.json).');

export type Sweep = z.infer<typeof SweepSchema>;
