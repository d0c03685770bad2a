import { CancelledError } from '../../src/errors.js';
import type { Ui } from '../../src/ui/ui.js';

export type ScriptedAnswer = string | boolean | string[] | typeof CANCEL;
export const CANCEL = Symbol('cancel');

/**
 * A Ui whose prompts are answered from a script in order. Validation runs exactly as in the
 * terminal: an answer the prompt's validate rejects fails the test with that message.
 */
export function scriptedUi(script: ScriptedAnswer[]) {
  const asked: string[] = [];
  const printed: string[] = [];
  const next = (message: string): ScriptedAnswer => {
    asked.push(message);
    if (script.length === 0) throw new Error(`unexpected question: ${message}`);
    const answer = script.shift() as ScriptedAnswer;
    if (answer === CANCEL) throw new CancelledError();
    return answer;
  };
  const ui: Ui = {
    interactive: true,
    intro: (text) => printed.push(text),
    outro: (text) => printed.push(text),
    note: (text, title) => printed.push(`${title ?? ''}\n${text}`),
    info: (text) => printed.push(text),
    warn: (text) => printed.push(text),
    success: (text) => printed.push(text),
    error: (text) => printed.push(text),
    async text(options) {
      const answer = next(options.message);
      const value =
        answer === '' && options.defaultValue !== undefined ? options.defaultValue : String(answer);
      const problem = options.validate?.(value);
      if (problem) throw new Error(`"${value}" rejected by "${options.message}": ${problem}`);
      return value;
    },
    async select(options) {
      const answer = next(options.message);
      const option = options.options.find((candidate) => candidate.value === answer);
      if (!option) throw new Error(`"${String(answer)}" is not an option of "${options.message}"`);
      if (option.disabled)
        throw new Error(`"${String(answer)}" is disabled in "${options.message}": ${option.hint}`);
      return option.value;
    },
    async confirm(options) {
      return Boolean(next(options.message));
    },
    async groupMultiselect(options) {
      const answer = next(options.message);
      if (!Array.isArray(answer))
        throw new Error(`"${String(answer)}" is not a list for "${options.message}"`);
      const known = Object.values(options.groups).flat();
      return answer.map((value) => {
        const option = known.find((candidate) => candidate.value === value);
        if (!option) throw new Error(`"${value}" is not an option of "${options.message}"`);
        return option.value;
      });
    },
    spinner: () => ({ start: () => {}, stop: () => {}, error: () => {} }),
  };
  return { ui, asked, printed, remaining: script };
}
