import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type ProcessResult, runProgramAsync } from '../e2e/support/built-cli.js';
import { ACCOUNT_ID, type Credentials } from '../standin/standin.js';
import { BUCKET, REGION, type useFlows } from './support.js';

export type Flows = ReturnType<typeof useFlows>;
export type AwsCli = 'v1' | 'v2';

/** Debian's aws CLI v2 (2.9.19): what `.ci/run` installs next to the pip v1 that is first on PATH. */
export const AWS_CLI_V2 = '/usr/bin/aws';

/**
 * A folder holding `aws` that runs the v2 CLI. 2.9 predates AWS_ENDPOINT_URL, so the wrapper
 * passes it as --endpoint-url, read at run time so that a test can point it elsewhere.
 */
export function awsV2Folder(home: string): string {
  const folder = join(home, '.aws-cli-v2');
  const wrapper = join(folder, 'aws');
  if (!existsSync(wrapper)) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(wrapper, `#!/bin/sh\nexec ${AWS_CLI_V2} --endpoint-url "$AWS_ENDPOINT_URL" "$@"\n`);
    chmodSync(wrapper, 0o755);
  }
  return folder;
}

/** The flags of the plans these tests render, for the stand-in's account. */
export const RENDER_FLAGS = ['--yes', '--account-id', ACCOUNT_ID];

/** Renders with the built CLI, as a person would, into `folder` under the flow's home. */
export async function renderInto(flows: Flows, folder: string, flags: string[]): Promise<string> {
  const rendered = await flows.cli([...RENDER_FLAGS, ...flags, '--render', folder]);
  expect(rendered.code, rendered.stderr).toBe(0);
  return join(flows.home, folder);
}

/** Runs a rendered script with one of the two aws CLIs, as the principal of `as`. */
export function runScript(
  flows: Flows,
  script: string,
  options: { cli: AwsCli; as?: Credentials; endpoint?: string; args?: string[]; timeoutMs?: number },
): Promise<ProcessResult> {
  const env = flows.env(options.as, options.endpoint);
  if (options.cli === 'v2') env.PATH = `${awsV2Folder(flows.home)}:${env.PATH ?? ''}`;
  return runProgramAsync('bash', [script, ...(options.args ?? [])], {
    cwd: flows.home,
    env,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
}

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

/** verify.sh's rows: check name and verdict, in order. */
export function scriptVerdicts(output: string): [string, Verdict][] {
  return [...output.matchAll(/^(PASS|FAIL|SKIP) {2}(\S.*?)(?: {2,}|$)/gm)].map((match) => [
    match[2] ?? '',
    match[1] as Verdict,
  ]);
}

/** The TypeScript verifier's rows from `verify --json`, in the same form. */
export function cliVerdicts(run: ProcessResult): [string, Verdict][] {
  const report = JSON.parse(run.stdout) as { checks: { check: string; ok: boolean; notRun?: boolean }[] };
  return report.checks.map((check) => [check.check, check.notRun ? 'SKIP' : check.ok ? 'PASS' : 'FAIL']);
}

/** The key setup.sh reported ("Done. s3://... is protected with ARN."). */
export function keyArnFromSetup(output: string): string {
  const match = /protected with (arn:aws:kms:\S+?)\.\n/.exec(output);
  if (!match?.[1]) throw new Error(`setup.sh printed no key ARN:\n${output}`);
  return match[1];
}

export const verifyCommand = (keyArn: string) => [
  'verify',
  '--bucket',
  BUCKET,
  '--region',
  REGION,
  '--key',
  keyArn,
  '--json',
];

export function readRendered(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}
