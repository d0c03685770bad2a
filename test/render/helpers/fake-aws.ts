import { chmod, copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './temp-dirs.js';

export interface FakeAws {
  /** PATH with the fake first. */
  path: string;
  /** Every call so far, argv without the `aws` itself. */
  calls(): Promise<string[][]>;
}

/** Puts helpers/fake-aws.mjs on a fresh PATH entry as `aws`, logging to its own file. */
export async function installFakeAws(): Promise<FakeAws & { env: Record<string, string> }> {
  const dir = await makeTempDir('ceb-fake-aws-');
  const aws = join(dir, 'aws');
  await copyFile(fileURLToPath(new URL('./fake-aws.mjs', import.meta.url)), aws);
  await chmod(aws, 0o755);
  const log = join(dir, 'calls.jsonl');
  const path = `${dir}:${process.env.PATH ?? ''}`;
  return {
    path,
    env: { PATH: path, FAKE_AWS_LOG: log },
    async calls() {
      const text = await readFile(log, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]);
    },
  };
}

export function flagValue(call: string[], flag: string): string | undefined {
  const index = call.indexOf(flag);
  return index === -1 ? undefined : call[index + 1];
}
