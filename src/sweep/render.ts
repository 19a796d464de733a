/** sweep.md, sweep.html and sweep.csv from a sweep.json: what `sweep` writes at its end and `report sweep.json` writes again. */
import { serializeAll } from '../report/csv.js';
import { htmlAssets } from '../report/html-assets.js';
import { parseBudget } from '../scenario/budget.js';
import { analyseSweep } from './analysis.js';
import { serialize as sweepHtml } from './html.js';
import { serialize as sweepMarkdown } from './markdown.js';
import type { Sweep } from './model.js';

export interface RenderedSweep {
  markdown: string;
  html: string;
  /** Every point's figures, tidy: the varied values, then result.csv's long layout. */
  csv: string;
}

export function renderSweep(sweep: Sweep): RenderedSweep {
  const parsed = sweep.choose ? parseBudget(sweep.choose.budget, sweep.choose.minimise) : undefined;
  const budget = parsed?.ok ? parsed.budget : undefined;
  const budgetText = sweep.choose && budget ? `${sweep.choose.budget}, minimising ${sweep.choose.minimise}` : undefined;
  const name = sweep.points[0]?.result.scenario['name'];
  const title = typeof name === 'string' && name !== '' ? name : sweep.scenarioFile;
  const analysis = analyseSweep(sweep, budget);
  const byResult = new Map(sweep.points.map((point) => [point.result, point.values]));
  const csv = serializeAll(
    sweep.points.map((point) => point.result),
    'long',
    { names: sweep.vary.map((v) => v.path), valuesOf: (result) => byResult.get(result) ?? [] },
  );
  return { markdown: sweepMarkdown(analysis, title, budgetText), html: sweepHtml(sweep, analysis, title, htmlAssets(), budgetText), csv };
}
