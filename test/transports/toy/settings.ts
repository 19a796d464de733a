import type { z } from 'zod';
import { duration, strictMapping } from '../../../src/scenario/fields.js';

export const toySettings = strictMapping(
  { every: duration({ min: 1, max: 60_000, minText: '1ms', maxText: '1m' }).prefault('20ms') },
  '{ every: 20ms }',
).transform(({ every }) => ({ everyMs: every }));

export type ToySettings = z.output<typeof toySettings>;
