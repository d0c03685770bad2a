import type { Answers } from '../types.js';

/*
 * The shape of one option, declared once (sv's defineAddonOptions): the parser, --help, the
 * wizard, the config file and the one-shot command all read these fields, so adding an
 * option is adding an entry.
 */

export type AnswerKey = keyof Answers;
export type ValueKind = 'string' | 'list' | 'boolean';

export const HELP_GROUPS = [
  'Target',
  'Roles (repeatable; a role name or a full role ARN in the same account)',
  'Key',
  'Enforcement',
  'Output',
  'verify, scan, reencrypt',
  'Run',
] as const;
export type HelpGroup = (typeof HELP_GROUPS)[number];

/**
 * Where the wizard asks an option: on the quick path, behind "Customise", in the output
 * step, or nowhere (with the reason, so the completeness test can tell a choice from an
 * omission). Options sharing a `screen` are asked together on one screen.
 */
export type PromptPlace =
  | { stage: 'quick' | 'advanced' | 'output'; screen: string }
  | { stage: 'never'; reason: string };

interface CommonSpec {
  flag: `--${string}`;
  short?: string;
  /** The value's name in --help, e.g. NAME; absent for booleans. */
  valueName?: string;
  /** One or more lines for --help. */
  help: string | string[];
  group: HelpGroup;
}

/** An option that answers a question: it has a prompt, a config-file key and a one-shot form. */
export interface AnswerOption extends CommonSpec {
  key: AnswerKey;
  kind: ValueKind;
  prompt: PromptPlace;
  /** Checks one value; `answers` gives the context some rules need (account, region). */
  validate?: (value: string, answers: Answers) => string | undefined;
  /** Applied to every value, from flags, file or prompt, before it is validated. */
  normalise?: (value: string) => string;
  /** The value used when none is given; the one-shot command leaves it out. */
  defaultValue?: (answers: Answers) => string | boolean | undefined;
  /** false: never repeated (e.g. --overwrite, a per-run permission). */
  oneShot?: boolean;
  /** Flags that set the same field under an older name. */
  aliases?: `--${string}`[];
}

/** An option about how the run behaves (RunFlags), not what it builds. */
export interface RunOption extends CommonSpec {
  run: string;
  kind: 'string' | 'boolean';
  /** Repeated in the one-shot command when given (e.g. --profile), so the resume works the same. */
  oneShot?: boolean;
}

export type OptionSpec = AnswerOption | RunOption;

export function isAnswerOption(option: OptionSpec): option is AnswerOption {
  return 'key' in option;
}

export function helpLines(option: OptionSpec): string[] {
  return typeof option.help === 'string' ? [option.help] : option.help;
}
