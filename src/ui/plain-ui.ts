import { ConfigError } from '../errors.js';
import type { Ui } from './ui.js';

export interface LineWriter {
  write(text: string): unknown;
}

/**
 * The Ui for CI and pipes: plain lines, no prompts. Reaching a prompt here is a usage error,
 * because every question has a flag and nothing may wait for input that will never come.
 */
export function createPlainUi(out: LineWriter): Ui {
  const line = (text: string) => out.write(`${text}\n`);
  const noPrompt = (message: string): never => {
    throw new ConfigError(`cannot ask "${message}" without a terminal`, {
      hint: 'pass the answer as a flag (see --help), or run in a terminal without --yes',
    });
  };
  return {
    interactive: false,
    intro: (title) => line(title),
    outro: (message) => line(message),
    note: (message, title) => line(title ? `\n${title}\n${message}\n` : `\n${message}\n`),
    info: (message) => line(message),
    warn: (message) => line(`warning: ${message}`),
    success: (message) => line(message),
    error: (message) => line(`error: ${message}`),
    text: async (options) => noPrompt(options.message),
    select: async (options) => noPrompt(options.message),
    confirm: async (options) => noPrompt(options.message),
    groupMultiselect: async (options) => noPrompt(options.message),
    spinner: () => ({
      start: (message) => line(`${message} ...`),
      stop: (message) => line(message),
      error: (message) => line(`error: ${message}`),
    }),
  };
}
