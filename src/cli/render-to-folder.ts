import { readTemplates } from '../output/read-templates.js';
import { writeRenderedFiles } from '../output/write-files.js';
import type { SetupLock } from '../render/lock.js';
import { renderPlan } from '../render/render-plan.js';
import type { Plan } from '../types.js';
import type { Ui } from '../ui/ui.js';

/** Plan -> files on disk: render (pure), then the one writer, which asks before overwriting. */
export async function renderToFolder(
  plan: Plan,
  dir: string,
  overwrite: boolean,
  ui: Ui,
  shownAs = dir,
  lock?: SetupLock,
) {
  const files = renderPlan(plan, await readTemplates(), lock);
  const confirmOverwrite = ui.interactive
    ? (existing: string[]) =>
        ui.confirm({
          message: `${dir} already holds ${existing.length} entr${existing.length === 1 ? 'y' : 'ies'}. Overwrite files with the same names?`,
          initialValue: false,
        })
    : undefined;
  const written = await writeRenderedFiles(dir, files, {
    overwrite,
    ...(confirmOverwrite ? { confirmOverwrite } : {}),
  });
  ui.success(`Wrote ${files.length} ${files.length === 1 ? 'file' : 'files'} to ${written}`);
  const nextSteps = [
    `cd ${shownAs}`,
    'less README.md         # what each file does',
    './setup.sh             # apply with the aws CLI',
    './verify.sh            # prove it',
  ].join('\n');
  return { dir: written, files: files.map((file) => file.path), nextSteps };
}
