/** sweep.md and sweep.html from a sweep.json: what `sweep` writes at its end and `report sweep.json` writes again. */
import { htmlAssets } from '../report/html-assets.js';
import { parseBudget } from '../scenario/budget.js';
import { analyseSweep } from './analysis.js';
import { serialize as sweepHtml } from './html.js';
import { serialize as sweepMarkdown } from './markdown.js';
import type { Sweep } from './model.js';

export interface RenderedSweep {
  markdown: string;
  html: string;
}

export function renderSweep(sweep: Sweep): RenderedSweep {
  const parsed = sweep.choose ? parseBudget(sweep.choose.budget, sweep.choose.minimise) : undefined;
  const budget = parsed?.ok ? parsed.budget : undefined;
  const budgetText = sweep.choose && budget ? `${sweep.choose.budget}, minimising ${sweep.choose.minimise}` : undefined;
  const name = sweep.points[0]?.result.scenario['name'];
  const title = typeof name === 'string' && name !== '' ? name : sweep.scenarioFile;
  const analysis = analyseSweep(sweep, budget);
  return { markdown: sweepMarkdown(analysis, title, budgetText), html: sweepHtml(sweep, analysis, title, htmlAssets(), budgetText) };
}
