import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT, runProgram, strangerEnv } from './support/built-cli.js';

/*
 * `npm start` runs in the package folder; the user stood elsewhere (npm keeps that in
 * INIT_CWD). A copy of the package builds its own dist/, so the shared one is never rebuilt
 * under the other e2e tests.
 */
test('npm start -- --render ./x from a subfolder writes there, not in the package folder', () => {
  const pkg = mkdtempSync(join(tmpdir(), 'ceb-npm-start-'));
  for (const entry of ['package.json', 'scripts', 'src', 'templates'])
    cpSync(join(REPO_ROOT, entry), join(pkg, entry), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(pkg, 'node_modules'));
  const where = join(pkg, 'projects', 'acme');
  mkdirSync(where, { recursive: true });

  const args = [
    '--yes',
    '--bucket',
    'acme-contracts',
    '--region',
    'eu-west-1',
    '--account-id',
    '111122223333',
  ];
  const run = runProgram(
    'npm',
    [
      'start',
      '--',
      ...args,
      '--app-role',
      'contracts-app',
      '--key-admin-role',
      'key-admin',
      '--render',
      './x',
    ],
    {
      cwd: where,
      env: strangerEnv(mkdtempSync(join(tmpdir(), 'ceb-npm-home-'))),
    },
  );
  expect(run.code, run.stderr + run.stdout).toBe(0);
  expect(existsSync(join(where, 'x', 'setup.sh'))).toBe(true);
  expect(existsSync(join(pkg, 'x'))).toBe(false);
});
