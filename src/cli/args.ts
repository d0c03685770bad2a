import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';
import type { Answers } from '../types.js';

export type Command = 'create' | 'verify' | 'scan' | 'reencrypt';
const COMMANDS: readonly Command[] = ['create', 'verify', 'scan', 'reencrypt'];

/** Every flag the CLI knows; the help page groups the same names. */
export const FLAG_OPTIONS = {
  bucket: { type: 'string' },
  region: { type: 'string' },
  'account-id': { type: 'string' },
  'create-bucket': { type: 'boolean' },
  scheme: { type: 'string' },
  'app-role': { type: 'string', multiple: true },
  'operator-role': { type: 'string', multiple: true },
  'auditor-role': { type: 'string', multiple: true },
  'key-admin-role': { type: 'string', multiple: true },
  'reencrypt-role': { type: 'string', multiple: true },
  'key-alias': { type: 'string' },
  'existing-key': { type: 'string' },
  key: { type: 'string' },
  'rotation-days': { type: 'string' },
  enforcement: { type: 'string' },
  'requests-per-month': { type: 'string' },
  render: { type: 'string' },
  overwrite: { type: 'boolean' },
  apply: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'no-verify': { type: 'boolean' },
  profile: { type: 'string' },
  'endpoint-url': { type: 'string' },
  object: { type: 'string' },
  full: { type: 'boolean' },
  concurrency: { type: 'string' },
  checkpoint: { type: 'string' },
  'batch-operations': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** How the run behaves, as opposed to what it builds (Answers). */
export interface RunFlags {
  yes: boolean;
  json: boolean;
  debug: boolean;
  help: boolean;
  version: boolean;
  dryRun: boolean;
  verify: boolean;
  profile?: string;
  endpointUrl?: string;
  object?: string;
  full: boolean;
  concurrency?: string;
  checkpoint?: string;
  batchOperations: boolean;
}

export interface ParsedArgs {
  command: Command;
  answers: Answers;
  run: RunFlags;
}

/** argv as process.argv gives it (node, script, ...args). */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAG_OPTIONS; allowPositionals: true }>>;
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
  const answers: Answers = {
    bucket: values.bucket,
    region: values.region,
    accountId: values['account-id'],
    scheme: values.scheme,
    appRoles: values['app-role'],
    operatorRoles: values['operator-role'],
    auditorRoles: values['auditor-role'],
    keyAdminRoles: values['key-admin-role'],
    reencryptRoles: values['reencrypt-role'],
    keyAlias: values['key-alias'],
    existingKey: values['existing-key'] ?? values.key,
    rotationDays: values['rotation-days'],
    enforcement: values.enforcement,
    createBucket: values['create-bucket'],
    requestsPerMonth: values['requests-per-month'],
    mode: values.apply ? 'apply' : values.render !== undefined ? 'render' : undefined,
    renderDir: values.render,
    overwrite: values.overwrite,
  };
  const run: RunFlags = {
    yes: values.yes ?? false,
    json: values.json ?? false,
    debug: values.debug ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    dryRun: values['dry-run'] ?? false,
    verify: !(values['no-verify'] ?? false),
    profile: values.profile,
    endpointUrl: values['endpoint-url'],
    object: values.object,
    full: values.full ?? false,
    concurrency: values.concurrency,
    checkpoint: values.checkpoint,
    batchOperations: values['batch-operations'] ?? false,
  };
  return { command: (first as Command | undefined) ?? 'create', answers: withoutUndefined(answers), run };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
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
