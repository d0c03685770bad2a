import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_BIN, ensureBuilt, runProgram, strangerEnv } from '../e2e/support/built-cli.js';

/*
 * --generate-master-key FILE, through the built CLI: a new key outside the output folder, mode
 * 0600, never overwriting; bad input exits 2 with nothing written, neither key nor folder.
 */
let home = '';
const FLAGS = ['--bucket', 'acme-payroll', '--region', 'eu-west-1', '--account-id', '111122223333', '--yes'];
const cli = (args: string[]) =>
  runProgram('node', [BUILT_BIN, ...args], { cwd: home, env: strangerEnv(home) });
const OUT = 'acme-payroll-encryption';

beforeAll(ensureBuilt);
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'ceb-master-key-'));
  mkdirSync(join(home, 'keys'));
});

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

describe('--generate-master-key', () => {
  it('writes 32 random bytes (base64) with mode 0600 outside the output folder, which never holds it', () => {
    const run = cli([...FLAGS, '--scheme', 'client-app-key', '--generate-master-key', 'keys/master.key']);
    expect(run.code, run.stderr).toBe(0);
    const file = join(home, 'keys', 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readFileSync(file, 'utf8').trim();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(run.stdout).toContain('Wrote a new master key to keys/master.key');
    const rendered = filesUnder(join(home, OUT));
    expect(rendered.map((path) => path.slice(home.length + OUT.length + 2))).toContain('client/client.mjs');
    for (const path of rendered) expect(readFileSync(path, 'utf8'), path).not.toContain(key);
    // A second run names the same file: refused, the first key kept.
    const again = cli([
      ...FLAGS,
      '--scheme',
      'client-app-key',
      '--generate-master-key',
      'keys/master.key',
      '--overwrite',
    ]);
    expect(again.code).toBe(2);
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
  });

  const refusals = [
    {
      name: 'an existing file',
      prepare: () => writeFileSync(join(home, 'keys', 'old.key'), 'precious\n'),
      args: ['--scheme', 'client-app-key', '--generate-master-key', 'keys/old.key'],
      message: 'keys/old.key already exists; a master key is never overwritten',
    },
    {
      name: 'a file inside the output folder',
      args: ['--scheme', 'client-app-key', '--generate-master-key', `${OUT}/master.key`],
      message: 'is inside the output folder',
    },
    {
      name: 'a file inside a named output folder',
      args: ['--scheme', 'client-app-key', '--render', 'out', '--generate-master-key', 'out/client/k'],
      message: 'is inside the output folder',
    },
    {
      name: 'a folder that does not exist',
      args: ['--scheme', 'client-app-key', '--generate-master-key', 'nowhere/master.key'],
      message: 'the folder nowhere does not exist',
    },
    {
      name: 'another scheme',
      args: ['--scheme', 'sse-s3', '--generate-master-key', 'keys/master.key'],
      message: '--generate-master-key needs --scheme client-app-key',
    },
  ];
  it.each(refusals)(
    'refuses $name: exit 2, a message naming the problem, nothing written',
    ({ prepare, args, message }) => {
      prepare?.();
      const before = filesUnder(home).sort();
      const run = cli([...FLAGS, ...args]);
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).toContain(message);
      expect(filesUnder(home).sort()).toEqual(before);
      expect(existsSync(join(home, OUT))).toBe(false);
    },
  );
});
