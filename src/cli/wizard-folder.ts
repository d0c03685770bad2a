import type { Answers } from '../types.js';
import type { Ui } from '../ui/ui.js';

/** Entries in a folder, 0 when it does not exist. */
export type FolderCheck = (dir: string) => Promise<number>;

export function defaultRenderDir(bucket: string | undefined): string {
  return `./${bucket ?? 'bucket'}-encryption`;
}

/**
 * The folder for the files: one that is empty or new, or one the user agreed to overwrite.
 * Declining asks for another folder instead of ending the run.
 */
export async function askFolder(answers: Answers, ui: Ui, entries?: FolderCheck): Promise<void> {
  if (answers.renderDir === undefined) {
    answers.renderDir = await ui.text({
      message: 'Folder for the files',
      defaultValue: defaultRenderDir(answers.bucket),
    });
  }
  if (!entries || answers.overwrite) return;
  for (;;) {
    const count = await entries(answers.renderDir);
    if (count === 0) return;
    const overwrite = await ui.confirm({
      message: `${answers.renderDir} already holds ${count} ${count === 1 ? 'entry' : 'entries'}. Overwrite files with the same names?`,
      initialValue: false,
    });
    if (overwrite) {
      answers.overwrite = true;
      return;
    }
    answers.renderDir = await ui.text({
      message: 'Another folder for the files',
      placeholder: `${defaultRenderDir(answers.bucket)}-2`,
    });
  }
}
