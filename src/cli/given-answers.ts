import { readdir } from 'node:fs/promises';
import { checkGivenAnswers } from '../config/parse-config.js';
import type { Answers } from '../types.js';
import type { ParsedArgs } from './args.js';
import { readConfigFile } from './config-file.js';
import { fromUserCwd } from './user-cwd.js';

/**
 * The answers known before the first question: a config file, overridden by flags, all
 * checked now, so a bad value fails before anything is asked (exit 2, nothing written).
 */
export async function givenAnswers(args: ParsedArgs): Promise<Answers> {
  const fromFile = args.run.config ? await readConfigFile(fromUserCwd(args.run.config)) : {};
  const answers: Answers = { ...fromFile, ...args.answers };
  if (args.answers.mode === 'apply') delete answers.renderDir;
  if (answers.renderDir !== undefined && answers.mode === undefined) answers.mode = 'render';
  checkGivenAnswers(answers);
  return answers;
}

/** Entries in a folder (relative to where the user ran), 0 when it does not exist. */
export async function folderEntries(dir: string): Promise<number> {
  try {
    return (await readdir(fromUserCwd(dir))).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
