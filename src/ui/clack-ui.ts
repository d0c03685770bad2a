import type { Readable, Writable } from 'node:stream';
import { styleText } from 'node:util';
import * as clack from '@clack/prompts';
import { CancelledError } from '../errors.js';
import { eraseRows, npmBannerRows } from './npm-banner.js';
import type { Ui } from './ui.js';
import { wrapText } from './wrap.js';

export interface ClackStreams {
  input?: Readable;
  output?: Writable;
}

function orCancel<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new CancelledError();
  return value as Exclude<T, symbol>;
}

/** The terminal Ui. Streams are injectable so tests can drive it with fake keypresses. */
export function createClackUi(streams: ClackStreams = {}): Ui {
  const io = {
    ...(streams.input ? { input: streams.input } : {}),
    ...(streams.output ? { output: streams.output } : {}),
  };
  const columns = () =>
    (streams.output as { columns?: number } | undefined)?.columns ?? process.stdout.columns ?? 80;
  // clack's log does not wrap: the terminal would break words and lose the │ gutter.
  const wrapped = (message: string, margin: number) => wrapText(message, columns() - margin);
  const paint = (colour: 'red' | 'yellow', message: string) =>
    wrapped(message, 4)
      .split('\n')
      .map((line) => styleText(colour, line))
      .join('\n');
  return {
    interactive: true,
    intro: (title) => {
      // npm's script banner stays out of the first screen; only on a terminal, only our own.
      const out = streams.output ?? process.stdout;
      if ((out as { isTTY?: boolean }).isTTY)
        out.write(eraseRows(npmBannerRows(process.env, process.argv.slice(2), columns())));
      clack.intro(title, io);
    },
    outro: (message) => clack.outro(wrapped(message, 4), io),
    note: (message, title) => clack.note(wrapped(message, 6), title, io),
    info: (message) => clack.log.info(wrapped(message, 4), io),
    warn: (message) => clack.log.warn(paint('yellow', message), io),
    success: (message) => clack.log.success(wrapped(message, 4), io),
    error: (message) => clack.log.error(paint('red', message), io),
    async text(options) {
      const { validate } = options;
      const value = await clack.text({
        ...io,
        message: options.message,
        ...(options.placeholder === undefined ? {} : { placeholder: options.placeholder }),
        ...(options.initialValue === undefined ? {} : { initialValue: options.initialValue }),
        ...(options.defaultValue === undefined ? {} : { defaultValue: options.defaultValue }),
        ...(validate
          ? { validate: (input: string | undefined) => validate(input ?? options.defaultValue ?? '') }
          : {}),
      });
      return orCancel(value);
    },
    async select(options) {
      const value = await clack.select({
        ...io,
        message: options.message,
        // clack's Option type is a conditional type that a generic T cannot satisfy.
        options: options.options as clack.Option<(typeof options.options)[number]['value']>[],
        ...(options.initialValue === undefined ? {} : { initialValue: options.initialValue }),
      });
      return orCancel(value);
    },
    async confirm(options) {
      return orCancel(
        await clack.confirm({
          ...io,
          message: options.message,
          ...(options.initialValue === undefined ? {} : { initialValue: options.initialValue }),
        }),
      );
    },
    async groupMultiselect(options) {
      const value = await clack.groupMultiselect({
        ...io,
        message: options.message,
        options: options.groups as Record<string, clack.Option<string>[]>,
        required: false,
        selectableGroups: false,
        maxItems: 12,
        ...(options.initialValues ? { initialValues: options.initialValues } : {}),
      });
      return orCancel(value) as (typeof options.initialValues & object)[number][];
    },
    spinner() {
      const spin = clack.spinner(io);
      return { start: (m) => spin.start(m), stop: (m) => spin.stop(m), error: (m) => spin.error(m) };
    },
  };
}
