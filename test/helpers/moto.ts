import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * A real moto_server on 127.0.0.1 and a free port, started by the test suite itself.
 * Missing moto is a failure with an install hint, never a silent skip.
 */
export interface Moto {
  endpoint: string;
  /** Environment for the aws CLI and the SDK: endpoint, fake credentials, no real config files. */
  env: Record<string, string>;
  /** Wipes all state (moto's reset API), so each test starts from a fresh account. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const MOTO_ACCOUNT_ID = '123456789012';

export function requireCommand(command: string, installHint: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error(`${command} is not installed: ${installHint}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto did not start within 30 s:\n${output()}`);
}

/** How to launch moto: moto_server itself, or a launcher script taking the same arguments. */
export interface MotoLaunch {
  command: string;
  args?: string[];
  env?: Record<string, string>;
}

/** What the SDK and the aws CLI need to reach `endpoint` with these credentials and no real config. */
export function awsTestEnv(
  endpoint: string,
  credentials: Record<'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN', string>,
): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    ...credentials,
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_REGION: 'eu-west-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export async function startMoto(launch: MotoLaunch = { command: 'moto_server' }): Promise<Moto> {
  requireCommand(launch.command, 'pip install "moto[server]" (the project image ships it)');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(launch.command, [...(launch.args ?? []), '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...launch.env },
  });
  child.stdout?.on('data', (chunk) => {
    log = (log + chunk).slice(-4000);
  });
  child.stderr?.on('data', (chunk) => {
    log = (log + chunk).slice(-4000);
  });
  await waitUntilUp(endpoint, child, () => log);
  const env = awsTestEnv(endpoint, {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
  });
  return {
    endpoint,
    env,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
