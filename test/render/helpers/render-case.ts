import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readTemplates } from '../../../src/output/read-templates.js';
import type { Templates } from '../../../src/render/index.js';
import { renderPlan } from '../../../src/render/index.js';
import type { Plan, RenderedFile } from '../../../src/types.js';
import { makeTempDir } from './temp-dirs.js';

let templates: Promise<Templates> | undefined;

/** The real templates/ folder, read once per test file. */
export function loadTemplates(): Promise<Templates> {
  templates ??= readTemplates();
  return templates;
}

export async function render(plan: Plan): Promise<RenderedFile[]> {
  return renderPlan(plan, await loadTemplates());
}

export function fileAt(files: RenderedFile[], path: string): RenderedFile {
  const file = files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`rendered output has no ${path}; it has ${files.map((f) => f.path).join(', ')}`);
  return file;
}

/** Writes rendered files to a fresh temp folder (the tests' stand-in for output/), returns it. */
export async function writeToTemp(files: RenderedFile[], prefix = 'ceb-render-'): Promise<string> {
  const dir = await makeTempDir(prefix);
  for (const file of files) {
    const path = join(dir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
    if (file.executable) await chmod(path, 0o755);
  }
  return dir;
}
