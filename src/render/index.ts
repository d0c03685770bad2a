export type { JsonDocument, PlanDocuments } from './documents.js';
export { planDocuments, ROLE_POLICY_FILES } from './documents.js';
export { describeStep, formatAccessTable, formatCost } from './format.js';
export { hclEscape, hclHeredoc, hclString } from './hcl-escape.js';
export { renderPlan } from './render-plan.js';
export { shellQuote } from './shell-quote.js';
export type { Templates } from './templates.js';
