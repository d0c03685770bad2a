// Bundles a bench body (TypeScript importing src/ and test/helpers) with the CLI's esbuild
// options into a temporary folder and runs it with this process's arguments.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from '../scripts/bundle-options.mjs';

export async function runBundled(entry) {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const scratch = mkdtempSync(join(tmpdir(), 'ceb-bench-'));
  const outfile = join(scratch, 'bench.mjs');
  try {
    await build({ ...BUNDLE_OPTIONS, entryPoints: [join(root, 'bench', entry)], outfile });
    const run = spawnSync(process.execPath, ['--no-warnings', outfile, ...process.argv.slice(2)], {
      stdio: 'inherit',
      cwd: root,
    });
    return run.status ?? 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
