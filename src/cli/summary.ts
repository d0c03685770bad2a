import { describeStep, formatAccessTable, formatCost } from '../render/format.js';
import type { Plan } from '../types.js';
import type { Ui } from '../ui/ui.js';

/** What will be created, who may do what, and what it costs: shown before anything is written. */
export function showPlanSummary(plan: Plan, ui: Ui): void {
  ui.note(plan.steps.map((step, index) => `${index + 1}. ${describeStep(step)}`).join('\n'), 'Plan');
  ui.note(formatAccessTable(plan.accessTable), 'Access');
  ui.note(formatCost(plan.cost, plan.config.scheme), 'Estimated cost');
  for (const warning of plan.warnings) ui.warn(warning);
}
