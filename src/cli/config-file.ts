import { readFile, writeFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import type { Answers } from '../types.js';
import { setAnswer } from './args.js';
import type { AnswerOption } from './option-table.js';
import { ANSWER_OPTIONS, primaryOption } from './options.js';
import { defaultRenderDir } from './wizard-folder.js';

/** The keys a config file may hold: one per answer, named as in Answers (e.g. appRoles). */
const FILE_OPTIONS = new Map<string, AnswerOption>(
  (ANSWER_OPTIONS as readonly AnswerOption[])
    .filter((option) => option.oneShot !== false)
    .map((option) => [option.key, option]),
);

/** Reads saved answers, checked by the same table as flags: types, values, unknown keys. */
export async function readConfigFile(path: string): Promise<Answers> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${(error as Error).message}`, {
      field: '--config',
      hint: 'pass the path of a JSON file written by --save-config (relative to where you run)',
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the config file ${path} is not valid JSON: ${(error as Error).message}`, {
      field: '--config',
    });
  }
  return answersFromObject(data, path);
}

export function answersFromObject(data: unknown, path: string): Answers {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`the config file ${path} must hold one JSON object`, { field: '--config' });
  }
  const answers: Answers = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    const option = FILE_OPTIONS.get(key);
    if (!option) {
      problems.push(`unknown key "${key}"; known keys: ${[...FILE_OPTIONS.keys()].join(', ')}`);
      continue;
    }
    const problem = typeProblem(option, value);
    if (problem) {
      problems.push(`"${key}" ${problem}`);
      continue;
    }
    setAnswer(answers, option, value);
    const values = ([] as unknown[]).concat(answers[option.key]).map(String);
    for (const item of option.kind === 'boolean' ? [] : values) {
      const invalid = option.validate?.(item, answers);
      if (invalid) problems.push(`"${key}": ${invalid}`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`the config file ${path} has problems:\n  ${problems.join('\n  ')}`, {
      field: '--config',
      hint: 'fix or remove those keys; flags given on the command line override the file',
    });
  }
  return answers;
}

function typeProblem(option: AnswerOption, value: unknown): string | undefined {
  if (option.key === 'mode')
    return value === 'apply' || value === 'render' ? undefined : 'must be "render" or "apply"';
  if (option.kind === 'boolean') return typeof value === 'boolean' ? undefined : 'must be true or false';
  if (option.kind === 'list')
    return Array.isArray(value) && value.every((item) => typeof item === 'string')
      ? undefined
      : `must be a list of strings, e.g. ["contracts-app"] (as ${option.flag} repeated)`;
  return typeof value === 'string' ? undefined : `must be a string, as ${option.flag} takes`;
}

/**
 * The answers a run used, as a file `--config` reads back. The default folder is left out: it
 * follows the bucket, so `--config team.json --bucket next-project` renders next to that bucket's
 * name, not into the folder of the project the file was saved from.
 */
export function configFileContent(answers: Answers): string {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(answers)) {
    if (key === 'renderDir' && value === defaultRenderDir(answers.bucket)) continue;
    if (
      value === undefined ||
      !FILE_OPTIONS.has(key) ||
      primaryOption(key as keyof Answers).oneShot === false
    )
      continue;
    data[key] = value;
  }
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** Writes the file; with overwrite false an existing file is an error, never replaced. */
export async function saveConfigFile(
  path: string,
  answers: Answers,
  { overwrite = true }: { overwrite?: boolean } = {},
): Promise<void> {
  await writeFile(path, configFileContent(answers), { flag: overwrite ? 'w' : 'wx' });
}
