// Renderers: pure functions from a Plan to text. No I/O, no clock, deterministic order
// (changes arrive sorted by kind then name; renderers keep that order).
import type { Plan } from '../model/plan.js';
import { renderJson } from './json.js';
import { renderMarkdown, type MarkdownOptions } from './markdown.js';
import { renderText, type TextOptions } from './text.js';

export type PlanFormat = 'text' | 'json' | 'markdown';
export const PLAN_FORMATS: readonly PlanFormat[] = ['text', 'json', 'markdown'];

export type RenderOptions = TextOptions & MarkdownOptions;

export function renderPlan(plan: Plan, format: PlanFormat, opts: RenderOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(plan, opts);
    case 'json':
      return renderJson(plan);
    case 'markdown':
      return renderMarkdown(plan, opts);
  }
}

export { renderJson, renderMarkdown, renderText };
