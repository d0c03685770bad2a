#!/usr/bin/env node
/*
 * API calls and wall time of `apply` against moto: a fresh apply, then a no-op re-run.
 *
 *   node bench/apply.mjs [--runs 5]
 *
 * Bundles bench/apply-run.ts with esbuild into a temporary folder (the same options as
 * scripts/build.mjs) and runs it; needs moto_server. Prints numbers; it is not a test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ceb-bench-apply-'));
const outfile = join(scratch, 'apply-run.mjs');
try {
  await build({
    entryPoints: [join(root, 'bench', 'apply-run.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  const run = spawnSync(process.execPath, ['--no-warnings', outfile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: root,
  });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
