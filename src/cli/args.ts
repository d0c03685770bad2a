import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';
import type { Answers } from '../types.js';
import type { AnswerOption } from './option-table.js';
import { ALL_OPTIONS, ANSWER_OPTIONS } from './options.js';

export type Command = 'create' | 'verify' | 'scan' | 'reencrypt';
const COMMANDS: readonly Command[] = ['create', 'verify', 'scan', 'reencrypt'];

/** parseArgs' option table, derived from the one option table. */
export const FLAG_OPTIONS: Record<
  string,
  { type: 'string' | 'boolean'; multiple?: boolean; short?: string }
> = Object.fromEntries(
  ALL_OPTIONS.map((option) => [
    option.flag.slice(2),
    {
      type: option.kind === 'boolean' ? 'boolean' : 'string',
      ...(option.kind === 'list' ? { multiple: true } : {}),
      ...(option.short ? { short: option.short } : {}),
    },
  ]),
);

/** How the run behaves, as opposed to what it builds (Answers). */
export interface RunFlags {
  yes: boolean;
  json: boolean;
  debug: boolean;
  help: boolean;
  version: boolean;
  dryRun: boolean;
  discover: boolean;
  verify: boolean;
  profile?: string;
  endpointUrl?: string;
  object?: string;
  full: boolean;
  concurrency?: string;
  checkpoint?: string;
  batchOperations: boolean;
  method?: string;
  allVersions: boolean;
  job?: string;
  config?: string;
  saveConfig?: string;
  generateMasterKey?: string;
}

export interface ParsedArgs {
  command: Command;
  answers: Answers;
  run: RunFlags;
}

/** argv as process.argv gives it (node, script, ...args). */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  let parsed: {
    values: Record<string, string | boolean | (string | boolean)[] | undefined>;
    positionals: string[];
  };
  try {
    parsed = parseArgs({ args: argv.slice(2), options: FLAG_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFrom(error);
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  if (rest.length > 0 || (first !== undefined && !COMMANDS.includes(first as Command))) {
    const stray = first !== undefined && !COMMANDS.includes(first as Command) ? first : rest[0];
    throw new ConfigError(`unexpected argument ${JSON.stringify(stray)}`, {
      field: 'command',
      hint: `commands are ${COMMANDS.join(', ')}; flags start with -- (see --help)`,
    });
  }
  if (values.render !== undefined && values.apply) {
    throw new ConfigError('--render and --apply exclude each other', {
      field: '--render',
      hint: 'choose one: --render DIR writes files to review, --apply changes the account',
    });
  }
  const answers: Answers = {};
  for (const option of ANSWER_OPTIONS) {
    const value = values[option.flag.slice(2)];
    if (value === undefined || answers[option.key] !== undefined) continue;
    setAnswer(answers, option, value);
  }
  if (answers.renderDir !== undefined) answers.mode = 'render';
  const flag = (name: string) => values[name];
  const text = (name: string) => flag(name) as string | undefined;
  const bool = (name: string) => (flag(name) as boolean | undefined) ?? false;
  const run: RunFlags = {
    yes: bool('yes'),
    json: bool('json'),
    debug: bool('debug'),
    help: bool('help'),
    version: bool('version'),
    dryRun: bool('dry-run'),
    discover: bool('discover'),
    verify: !bool('no-verify'),
    full: bool('full'),
    batchOperations: bool('batch-operations'),
    allVersions: bool('all-versions'),
  };
  for (const [field, name] of [
    ['profile', 'profile'],
    ['endpointUrl', 'endpoint-url'],
    ['object', 'object'],
    ['concurrency', 'concurrency'],
    ['checkpoint', 'checkpoint'],
    ['method', 'method'],
    ['job', 'job'],
    ['config', 'config'],
    ['saveConfig', 'save-config'],
    ['generateMasterKey', 'generate-master-key'],
  ] as const) {
    const value = text(name);
    if (value !== undefined) run[field] = value;
  }
  return { command: (first as Command | undefined) ?? 'create', answers, run };
}

/** Sets one option's value on answers, normalised; booleans and lists as the kind says. */
export function setAnswer(answers: Answers, option: AnswerOption, value: unknown): void {
  const normalise = option.normalise ?? ((text: string) => text);
  const target = answers as Record<string, unknown>;
  if (option.key === 'mode') {
    if (value === true || value === 'apply') target.mode = 'apply';
    else if (value === 'render') target.mode = 'render';
    return;
  }
  if (option.kind === 'boolean') target[option.key] = value === true;
  else if (option.kind === 'list')
    target[option.key] = (Array.isArray(value) ? value : [value]).map((item) => normalise(String(item)));
  else target[option.key] = normalise(String(value));
}

function usageErrorFrom(error: unknown): ConfigError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const flag = /'(-{1,2}[^'\s]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new ConfigError(`unknown flag ${flag ?? message}`, {
      field: flag,
      hint: 'see --help for the flags',
    });
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new ConfigError(`flag ${flag ?? ''} needs a value: ${message}`, {
      field: flag,
      hint: 'see --help',
    });
  }
  return new ConfigError(message, { hint: 'see --help' });
}
