import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { Answers } from '../types.js';
import { fromUserCwd } from './user-cwd.js';
import { defaultRenderDir } from './wizard-folder.js';

const FLAG = '--generate-master-key';

/**
 * client-app-key's master key, generated on request into a file the user names. Checked
 * before anything is written: the scheme, a file that does not exist yet in a folder that
 * does, and never inside the output folder, which is meant to be reviewed and committed.
 */
export function checkMasterKeyFile(file: string, answers: Answers): string {
  if (answers.scheme !== 'client-app-key') {
    throw new ConfigError(
      `${FLAG} needs --scheme client-app-key (the only scheme with an application-held key)`,
      {
        field: FLAG,
        hint: `add --scheme client-app-key, or leave out ${FLAG}`,
      },
    );
  }
  const path = fromUserCwd(file);
  if (existsSync(path)) {
    throw new ConfigError(`${FLAG}: ${file} already exists; a master key is never overwritten`, {
      field: FLAG,
      hint: 'name a new file (an existing key may still protect objects: keep it)',
    });
  }
  if (answers.mode !== 'apply') {
    const output = fromUserCwd(answers.renderDir ?? defaultRenderDir(answers.bucket));
    const inside = relative(resolve(output), path);
    if (!inside.startsWith('..') && !inside.startsWith('/')) {
      throw new ConfigError(
        `${FLAG}: ${file} is inside the output folder; the master key must never be in it`,
        {
          field: FLAG,
          hint: 'name a file outside it, e.g. in a folder only the application can read',
        },
      );
    }
  }
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ConfigError(`${FLAG}: the folder ${dirname(file)} does not exist`, {
      field: FLAG,
      hint: 'create it first (mode 0700), or name a file in an existing folder',
    });
  }
  return path;
}

/** 32 random bytes, base64, mode 0600; `wx` refuses a file that appeared since the check. */
export async function writeMasterKeyFile(path: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(`${randomBytes(32).toString('base64')}\n`);
    // The umask can only remove bits; chmod states the mode whatever it is.
    await handle.chmod(0o600);
  } finally {
    await handle.close();
  }
}
