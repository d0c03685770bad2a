import { shellQuote } from '../render/shell-quote.js';
import type { Answers } from '../types.js';
import type { AnswerOption } from './option-table.js';
import { ANSWER_OPTIONS, RUN_OPTIONS } from './options.js';

/** Run flags worth repeating so the command behaves the same (e.g. --profile). */
export type RepeatedRunFlags = Partial<Record<'profile' | 'endpointUrl' | 'config', string>>;

/**
 * The command line that repeats this run with no questions, e.g. in CI, or resumes a stopped
 * one with the answers given so far. Compact: values equal to their default are left out.
 */
export function oneShotCommand(answers: Answers, run: RepeatedRunFlags = {}): string {
  const parts: string[] = ['npx create-encrypted-bucket --yes'];
  for (const option of ANSWER_OPTIONS as readonly AnswerOption[]) {
    if (option.oneShot === false) continue;
    parts.push(...flagsFor(option, answers));
  }
  for (const option of RUN_OPTIONS) {
    const value = option.oneShot ? run[option.run as keyof RepeatedRunFlags] : undefined;
    if (value !== undefined) parts.push(`${option.flag} ${arg(value)}`);
  }
  return parts.join(' ');
}

function flagsFor(option: AnswerOption, answers: Answers): string[] {
  const value = answers[option.key];
  if (value === undefined) return [];
  if (option.key === 'mode') return value === 'apply' ? [option.flag] : [];
  if (value === option.defaultValue?.(answers)) return [];
  if (typeof value === 'boolean') return value ? [option.flag] : [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((item) => `${option.flag} ${arg(String(item))}`);
}

/** Plain words stay as they are; anything a shell could read differently is quoted. */
function arg(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : shellQuote(value);
}
