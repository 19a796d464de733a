/**
 * The scenario's `sweep:` key: what `push-bench sweep <file>` varies when the command line
 * gives no --vary (and what it recommends by), so a sweep lives in a file like the rest of a
 * workload. Each parameter's values are written as --vary takes them: a list, or a range.
 */
import { z } from 'zod';
import { parseBudget } from './budget.js';
import { strictMapping } from './fields.js';
import { parseVary } from './vary.js';

export interface SweepSection {
  /** `path=values`, one per parameter, as --vary takes them. */
  vary: string[];
  budget: string | null;
  minimise: string | null;
}

const values = z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])).min(1)], {
  error: (issue) => `${JSON.stringify(issue.input)} is not a list of values; write e.g. [1/m, 10/m, 1/s] or "1/s..100/s x10"`,
});

const sweepMapping = strictMapping(
  {
    vary: z
      .record(z.string(), values, { error: () => 'is not a mapping of parameters to values; write e.g. { events.rate: "1/h..10/s x10" }' })
      .meta({ description: 'One or two scenario paths (as --set names them) and their values: a list, or a range "FROM..TO xFACTOR" / "FROM..TO +STEP".' }),
    budget: z.string().optional().meta({ description: 'What the recommendation must meet at each point, e.g. "latency.p99 < 2s" (with minimise).' }),
    minimise: z.string().optional().meta({ description: 'The cost the recommendation minimises, e.g. bytes.perDelivery (with budget).' }),
  },
  '{ vary: { events.rate: "1/h..10/s x10" }, budget: "latency.p99 < 2s", minimise: bytes.perDelivery }',
);

export function sweepField() {
  return sweepMapping
    .superRefine((file, ctx) => {
      const paths = Object.keys(file.vary);
      if (paths.length === 0 || paths.length > 2)
        ctx.addIssue({ code: 'custom', path: ['vary'], input: file.vary, message: `names ${paths.length} parameters; a sweep varies one or two` });
      for (const [path, value] of Object.entries(file.vary)) {
        const parsed = parseVary(`${path}=${Array.isArray(value) ? value.join(',') : String(value)}`);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['vary', path], input: value, message: parsed.message });
      }
      if ((file.budget === undefined) !== (file.minimise === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [file.budget === undefined ? 'budget' : 'minimise'],
          input: undefined,
          message: 'budget and minimise go together, e.g. budget: "latency.p99 < 2s", minimise: bytes.perDelivery',
        });
      } else if (file.budget !== undefined && file.minimise !== undefined) {
        const parsed = parseBudget(file.budget, file.minimise);
        if (!parsed.ok)
          ctx.addIssue({
            code: 'custom',
            path: [parsed.message.startsWith('--minimise') ? 'minimise' : 'budget'],
            input: file.budget,
            message: parsed.message.replace(/^--(budget|minimise) /, ''),
          });
      }
    })
    .transform((file): SweepSection => ({
      vary: Object.entries(file.vary).map(([path, value]) => `${path}=${Array.isArray(value) ? value.join(',') : String(value)}`),
      budget: file.budget ?? null,
      minimise: file.minimise ?? null,
    }))
    .meta({ description: 'What `push-bench sweep` varies when the command line gives no --vary (docs/sweeps.md).' });
}
