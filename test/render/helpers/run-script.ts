import { spawn } from 'node:child_process';

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for messages in failed assertions. */
  output: string;
}

/**
 * Runs a rendered script asynchronously: a synchronous spawn would stall this process,
 * and with it the moto_server whose log pipe it drains.
 */
export function runScript(
  path: string,
  args: string[],
  env: Record<string, string | undefined>,
  cwd?: string,
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      output += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, output }));
  });
}

/** Environment for a script: the caller's PATH and HOME, plus what is given, nothing else. */
export function scriptEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra };
}
