import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { RenderedFile } from '../types.js';

export interface WriteOptions {
  overwrite: boolean;
  /** Asked when the folder holds files and --overwrite was not given; undefined when no one can answer. */
  confirmOverwrite?: (existing: string[]) => Promise<boolean>;
}

async function existingEntries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * The one place rendered files reach the disk. A folder that already holds anything is only
 * written to with --overwrite or a yes from the user; otherwise nothing is written at all.
 */
export async function writeRenderedFiles(
  dir: string,
  files: RenderedFile[],
  options: WriteOptions,
): Promise<string> {
  const target = resolve(dir);
  const existing = await existingEntries(target);
  if (existing.length > 0 && !options.overwrite) {
    const allowed = options.confirmOverwrite ? await options.confirmOverwrite(existing) : false;
    if (!allowed) {
      throw new ConfigError(
        `the folder ${dir} is not empty (${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', ...' : ''})`,
        {
          field: '--render',
          hint: 'choose an empty or new folder with --render, or pass --overwrite to replace the files in it; nothing was written',
        },
      );
    }
  }
  for (const file of files) {
    const path = join(target, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
    // writeFile's mode applies only to new files; an overwritten script must stay executable.
    await chmod(path, file.executable ? 0o755 : 0o644);
  }
  return target;
}
