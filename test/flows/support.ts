import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach } from 'vitest';
import {
  BUILT_BIN,
  ensureBuilt,
  type ProcessResult,
  runProgramAsync,
  strangerEnv,
} from '../e2e/support/built-cli.js';
import { ACCOUNT_ID, type Credentials } from '../standin/standin.js';
import { useStandIn } from '../standin/use-standin.js';

export const BUCKET = 'acme-contracts';
export const REGION = 'eu-west-1';
export const ROLES = {
  app: 'contracts-app',
  operator: 'platform-ops',
  auditor: 'security-audit',
  keyAdmin: 'key-admin',
  reencrypt: 'reencrypt-job',
} as const;

/** The flags every setup shares: the bucket, its region and the three everyday duties. */
const BUCKET_AND_DUTIES = [
  '--bucket',
  BUCKET,
  '--region',
  REGION,
  '--app-role',
  ROLES.app,
  '--operator-role',
  ROLES.operator,
  '--auditor-role',
  ROLES.auditor,
];

/** The flags of a typical setup: every duty named, a new bucket. */
export const SETUP_FLAGS = [
  ...BUCKET_AND_DUTIES,
  '--key-admin-role',
  ROLES.keyAdmin,
  '--reencrypt-role',
  ROLES.reencrypt,
  '--create-bucket',
];

/** A scheme without a KMS key, on a new bucket: no key administrator or re-encryption role named. */
export const keylessFlags = (scheme: 'sse-s3' | 'sse-c' | 'client-app-key') => [
  '--scheme',
  scheme,
  ...BUCKET_AND_DUTIES,
  '--create-bucket',
];

/**
 * Flows as they run in real life: the built CLI (and the aws CLI) against the stand-in, each
 * as the principal that runs it. `as` is the administrator unless credentials are given.
 */
export function useFlows(homePrefix: string) {
  const standIn = useStandIn();
  let home = '';
  beforeAll(ensureBuilt);
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), homePrefix));
  });
  const env = (credentials?: Credentials, endpoint?: string) =>
    strangerEnv(home, {
      ...(credentials ? standIn.envAs(credentials) : standIn.env),
      ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}),
    });
  return {
    standIn,
    get home() {
      return home;
    },
    env,
    /** The built create-encrypted-bucket; never throws, so tests assert its exit code. */
    cli(args: string[], options: { as?: Credentials; endpoint?: string } = {}): Promise<ProcessResult> {
      return runProgramAsync('node', [BUILT_BIN, ...args], {
        cwd: home,
        env: env(options.as, options.endpoint),
      });
    },
    /** Any program (the aws CLI, bash, python3) with the stand-in environment. */
    run(
      command: string,
      args: string[],
      options: { as?: Credentials; endpoint?: string; input?: string } = {},
    ) {
      return runProgramAsync(command, args, {
        cwd: home,
        env: env(options.as, options.endpoint),
        ...(options.input === undefined ? {} : { input: options.input }),
      });
    },
  };
}

/** The key ARN apply reported in --json output. */
export function keyArnOf(run: ProcessResult): string {
  const result = JSON.parse(run.stdout) as { keyArn?: string };
  if (!result.keyArn) throw new Error(`no keyArn in:\n${run.stdout}\n${run.stderr}`);
  return result.keyArn;
}

/** A CloudFront origin-access-control read grant, as the CloudFront console writes it. */
export const OAC_GRANT = {
  Sid: 'AllowCloudFrontServicePrincipalReadOnly',
  Effect: 'Allow',
  Principal: { Service: 'cloudfront.amazonaws.com' },
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
  Condition: {
    StringEquals: { 'AWS:SourceArn': `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/EDFDVBD6EXAMPLE` },
  },
};
