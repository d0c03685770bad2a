import { PassThrough } from 'node:stream';
import { main } from '../../src/main.js';

export interface MainRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs main() in-process with no terminal, capturing what it prints. */
export async function runMain(args: string[]): Promise<MainRun> {
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  const code = await main(['node', 'create-encrypted-bucket', ...args], { stdin, stdout, stderr });
  return { code, stdout: out, stderr: err };
}
