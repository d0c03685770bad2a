import { readdir, readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Templates } from '../render/index.js';

/*
 * The one place template text is read from disk. The templates/ folder sits at the package
 * root, one level above the bundle (dist/) and two above this file when running from source
 * (src/output/). The bundle's candidate comes first and a folder only counts when it holds
 * our marker template: two levels above an installed dist/ is node_modules/, where an
 * unrelated package named "templates" may live.
 */
const CANDIDATES = ['../templates/', '../../templates/'];
const MARKER = 'setup.sh.hbs';

async function isTemplatesDir(path: string): Promise<boolean> {
  try {
    return (await stat(`${path}${MARKER}`)).isFile();
  } catch {
    return false;
  }
}

export async function findTemplatesDir(from: string = import.meta.url): Promise<string> {
  const tried: string[] = [];
  for (const candidate of CANDIDATES) {
    const path = fileURLToPath(new URL(candidate, from));
    if (await isTemplatesDir(path)) return path;
    tried.push(path);
  }
  throw new Error(`templates/ not found; looked in ${tried.join(', ')}`);
}

/** Every `.hbs` file under templates/, keyed by its path relative to it with `/` separators. */
export async function readTemplates(from: string = import.meta.url): Promise<Templates> {
  const dir = await findTemplatesDir(from);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const templates: Templates = {};
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.hbs')) continue;
    // parentPath is Node 20.12+; `path` is its older name.
    const parent = (entry as { parentPath?: string }).parentPath ?? entry.path;
    const absolute = `${parent}/${entry.name}`;
    const relative = absolute.slice(dir.length).replaceAll('\\', '/').replace(/^\/+/, '');
    templates[relative] = await readFile(absolute, 'utf8');
  }
  return templates;
}
