/**
 * The only way core code talks to a person. A clack implementation serves terminals,
 * a plain one serves CI and pipes; core code never imports @clack/prompts.
 * Every prompt throws CancelledError on Esc / Ctrl-C.
 */
export interface SelectOption<T extends string> {
  value: T;
  label: string;
  hint?: string;
  /** Shown but not choosable; the hint says why. */
  disabled?: boolean;
}

export interface Spinner {
  start(message: string): void;
  stop(message: string): void;
  error(message: string): void;
}

export interface Ui {
  /** True when prompts may be shown (a TTY on stdin and no --yes). */
  readonly interactive: boolean;
  intro(title: string): void;
  outro(message: string): void;
  note(message: string, title?: string): void;
  info(message: string): void;
  warn(message: string): void;
  success(message: string): void;
  error(message: string): void;
  text(options: {
    message: string;
    placeholder?: string;
    initialValue?: string;
    defaultValue?: string;
    validate?: (value: string) => string | undefined;
  }): Promise<string>;
  select<T extends string>(options: {
    message: string;
    options: SelectOption<T>[];
    initialValue?: T;
  }): Promise<T>;
  confirm(options: { message: string; initialValue?: boolean }): Promise<boolean>;
  /** Several choices from labelled groups (e.g. roles per duty); may be empty. Optional: test Uis without it get the one-line path. */
  groupMultiselect?<T extends string>(options: {
    message: string;
    groups: Record<string, SelectOption<T>[]>;
    initialValues?: T[];
  }): Promise<T[]>;
  spinner(): Spinner;
}
