import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BUILT_BIN = join(REPO_ROOT, 'dist', 'bin.js');

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end; never throws on a non-zero exit, so tests can assert the code. */
export function runProgram(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): ProcessResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 120_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The same, without blocking the test process: needed when the program talks to a server
 * that runs inside this process (the stand-in), which a blocked event loop could not answer.
 */
export function runProgramAsync(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The environment of a stranger's machine: a home with no AWS or npm configuration, no AWS
 * variables (so nothing reaches for credentials) and none of the npm_* variables that
 * `npm test` passes down (they would steer the nested npm).
 */
export function strangerEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(AWS_|npm_|NODE_OPTIONS$|INIT_CWD$)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, HOME: home, LANG: 'C.UTF-8', NO_UPDATE_NOTIFIER: '1', ...extra };
}

/**
 * `npm test` builds before vitest; a bare `vitest run test/e2e` may find no dist/. Test files
 * run in parallel workers, so the build is taken under a lock file and done only once.
 */
export function ensureBuilt(): void {
  const lockDir = join(REPO_ROOT, '.tmp');
  const lock = join(lockDir, 'e2e-build.lock');
  // While another worker builds, bin.js can exist before the chunks it imports.
  if (existsSync(BUILT_BIN) && !existsSync(lock)) return;
  mkdirSync(lockDir, { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${lock}; remove it if no build is running`);
      // A lock older than two minutes belongs to a build that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (existsSync(BUILT_BIN)) return;
    const build = runProgram(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
    if (build.code !== 0 || !existsSync(BUILT_BIN)) {
      throw new Error(`node scripts/build.mjs failed (exit ${build.code}):\n${build.stderr}${build.stdout}`);
    }
  } finally {
    rmSync(lock, { force: true });
  }
}
