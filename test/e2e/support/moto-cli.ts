import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach } from 'vitest';
import { useMoto } from '../../helpers/use-moto.js';
import { BUILT_BIN, ensureBuilt, runProgram, strangerEnv } from './built-cli.js';

/**
 * The built CLI and the aws CLI against one moto_server per test file, each test in a fresh
 * home folder with no AWS configuration but moto's. Call before the file's own beforeEach.
 */
export function useMotoCli(homePrefix: string) {
  const moto = useMoto();
  let home = '';
  beforeAll(ensureBuilt);
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), homePrefix));
  });
  const env = (extra: NodeJS.ProcessEnv = {}) => strangerEnv(home, { ...moto.env, ...extra });
  return {
    moto,
    env,
    get home() {
      return home;
    },
    /** The aws CLI (JSON output, eu-west-1); a failure throws with its stderr. */
    aws(...args: string[]) {
      const result = runProgram('aws', [...args, '--region', 'eu-west-1', '--output', 'json'], {
        cwd: home,
        env: env(),
      });
      if (result.code !== 0) throw new Error(`aws ${args.join(' ')} failed: ${result.stderr}`);
      return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout);
    },
    /** The built create-encrypted-bucket; never throws, so tests assert its exit code. */
    cli(...args: string[]) {
      return runProgram('node', [BUILT_BIN, ...args], { cwd: home, env: env() });
    },
  };
}
