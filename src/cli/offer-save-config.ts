import { access } from 'node:fs/promises';
import { CancelledError } from '../errors.js';
import type { Answers } from '../types.js';
import type { Ui } from '../ui/ui.js';
import { saveConfigFile } from './config-file.js';
import { fromUserCwd } from './user-cwd.js';

export function defaultConfigFile(bucket: string | undefined): string {
  return `./${bucket ?? 'bucket'}.create-encrypted-bucket.json`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Offered once, after the run succeeded, so the file holds answers that were proven to work.
 * Never overwrites without a yes; a cancel here only skips saving (the files are already
 * written, so the run must not end as "nothing was written"). Returns the path shown to the
 * user, or undefined when nothing was saved.
 */
export async function offerSaveConfig(answers: Answers, ui: Ui): Promise<string | undefined> {
  try {
    let shown = defaultConfigFile(answers.bucket);
    if (
      !(await ui.confirm({
        message: `Save these answers to ${shown} for the next project?`,
        initialValue: false,
      }))
    )
      return undefined;
    for (;;) {
      const path = fromUserCwd(shown);
      if (!(await exists(path))) {
        await saveConfigFile(path, answers, { overwrite: false });
        break;
      }
      const overwrite = await ui.confirm({
        message: `${shown} already exists. Overwrite it?`,
        initialValue: false,
      });
      if (overwrite) {
        await saveConfigFile(path, answers, { overwrite: true });
        break;
      }
      const other = await ui.text({
        message: 'Another file for the answers (empty: do not save)',
        placeholder: defaultConfigFile(`${answers.bucket ?? 'bucket'}-2`),
        defaultValue: '',
      });
      if (other.trim() === '') return undefined;
      shown = other.trim();
    }
    ui.success(`Saved the answers to ${shown}`);
    return shown;
  } catch (error) {
    if (error instanceof CancelledError) {
      ui.info('Answers not saved.');
      return undefined;
    }
    throw error;
  }
}

/** The line the next steps end with once a config file exists. */
export function nextProjectLine(file: string): string {
  return `npx create-encrypted-bucket --config ${file} --bucket NEXT-BUCKET   # the next project, same answers`;
}
