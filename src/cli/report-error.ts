import { AppError, CancelledError, ConfigError, formatDebugDetails, formatError } from '../errors.js';
import type { Io } from '../io.js';
import type { Answers } from '../types.js';
import type { Ui } from '../ui/ui.js';
import { oneShotCommand, type RepeatedRunFlags } from './one-shot-command.js';

export interface ErrorContext {
  io: Io;
  ui: Ui | undefined;
  json: boolean;
  debug: boolean;
  /** The answers given so far, for the command that resumes the run. */
  answers: Answers;
  run: RepeatedRunFlags;
  warnings: string[];
}

/** The failure document of --json: exactly one, on stdout, like the success one. */
export function jsonFailure(error: unknown, warnings: string[]) {
  const app = error instanceof AppError ? error : undefined;
  return {
    ok: false,
    error: {
      code: app?.code ?? 'UNEXPECTED',
      field: error instanceof ConfigError ? (error.field ?? null) : null,
      message: app ? app.message : error instanceof Error ? error.message : String(error),
      hint: app?.hint ?? null,
    },
    warnings,
  };
}

/** The one place a failure reaches the person: in clack's frame when there is one. */
export function reportError(error: unknown, context: ErrorContext): void {
  const { io, ui } = context;
  if (context.json) io.stdout.write(`${JSON.stringify(jsonFailure(error, context.warnings), null, 2)}\n`);
  const text = formatError(error);
  if (ui?.interactive) {
    if (error instanceof CancelledError) {
      ui.outro(text);
    } else {
      ui.error(text);
      if (context.debug) ui.info(formatDebugDetails(error));
      if (Object.keys(context.answers).length > 0)
        ui.note(
          oneShotCommand(context.answers, context.run),
          error instanceof ConfigError ? 'Fix the value and resume with' : 'Resume with',
        );
      ui.outro('Stopped.');
    }
    return;
  }
  io.stderr.write(`${text}\n`);
  if (context.debug) io.stderr.write(`${formatDebugDetails(error)}\n`);
}
