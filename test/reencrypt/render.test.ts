/*
 * batch-operations/: the Plan's Batch Operations jobs as files, and start-jobs.sh, which only
 * sends them. moto has no S3 Control CreateJob, so start-jobs.sh runs against the fake aws
 * (test/render/helpers/fake-aws.mjs), which logs the exact requests; the job files pass the
 * aws CLI's own parameter validation (botocore checks members and types before connecting).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { CreateJobCommandInput } from '@aws-sdk/client-s3-control';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { type Answers, KEY_ARN_PLACEHOLDER, type Plan } from '../../src/types.js';
import { requireCommand } from '../helpers/moto.js';
import { flagValue, installFakeAws } from '../render/helpers/fake-aws.js';
import { fileAt, render, writeToTemp } from '../render/helpers/render-case.js';
import { runScript, scriptEnv } from '../render/helpers/run-script.js';
import { removeTempDirs } from '../render/helpers/temp-dirs.js';

afterAll(removeTempDirs);

const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const BASE: Answers = {
  bucket: 'acme-data',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  scheme: 'sse-kms',
  appRoles: ['contracts-app'],
  keyAdminRoles: ['key-admin'],
  reencryptRoles: ['reencrypt-job'],
  requestsPerMonth: '1000',
};
const withKey = buildPlan(parseConfig({ ...BASE, existingKey: KEY_ARN }));
const newKey = buildPlan(parseConfig({ ...BASE, keyAlias: 'alias/acme-data' }));
/** Every copy job the plans hold, by file name. */
const CLASS_FILES = ['standard', 'standard-ia', 'intelligent-tiering', 'onezone-ia', 'glacier-ir'].map(
  (name) => `batch-operations/create-job-copy-${name}.json`,
);

const jobFiles = (plan: Plan) => plan.documents.reencryptJobs ?? [];
const batchFiles = async (plan: Plan) =>
  (await render(plan)).filter((file) => file.path.startsWith('batch-operations/'));

describe('rendered batch-operations/', () => {
  it('is the Plan’s jobs serialised, a README and start-jobs.sh; no script of its own decides anything', async () => {
    const files = await batchFiles(withKey);
    expect(files.map((file) => [file.path, file.executable ?? false])).toEqual([
      ['batch-operations/start-jobs.sh', true],
      ['batch-operations/README.md', false],
      ['batch-operations/create-job-update-encryption.json', false],
      ...CLASS_FILES.map((path) => [path, false]),
    ]);
    for (const job of jobFiles(withKey)) {
      expect(JSON.parse(fileAt(files, `batch-operations/${job.file}`).content)).toEqual(job.request);
      expect(job.request.RoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/reencrypt-job`);
    }
    const readme = fileAt(files, 'batch-operations/README.md').content;
    expect(readme).toContain('`policies/reencrypt-policy.json`');
    expect(readme).toContain('`policies/reencrypt-trust-policy.json`');
    expect(readme).toContain(`--key '${KEY_ARN}' --job JOB_ID`);
    expect((await render(withKey)).some((file) => file.path === 'reencrypt.sh')).toBe(false);
  });

  it('is left out without a re-encryption role or a key, and the README says how to get it', async () => {
    const { reencryptRoles: _, ...noRole } = BASE;
    const withoutRole = buildPlan(parseConfig({ ...noRole, existingKey: KEY_ARN }));
    expect(await batchFiles(withoutRole)).toEqual([]);
    expect(fileAt(await render(withoutRole), 'README.md').content).toContain(
      'Render again with `--reencrypt-role <role>`',
    );
    const { keyAdminRoles: __, ...noKeyAdmin } = noRole;
    const sseS3 = buildPlan(parseConfig({ ...noKeyAdmin, scheme: 'sse-s3' }));
    expect(sseS3.documents.reencryptJobs).toBeUndefined();
    expect(await batchFiles(sseS3)).toEqual([]);
  });

  it('passes shellcheck and bash -n, for a known key and for a key still to be created', async () => {
    requireCommand('shellcheck', 'apt-get install -y shellcheck');
    const scripts = [];
    for (const plan of [withKey, newKey]) {
      scripts.push(join(await writeToTemp(await render(plan)), 'batch-operations/start-jobs.sh'));
    }
    const lint = spawnSync('shellcheck', ['--severity=style', ...scripts], { encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    for (const script of scripts) expect(spawnSync('bash', ['-n', script]).status).toBe(0);
  });
});

/** The model of a CLI that knows the Batch Operations fields the jobs use. */
const CURRENT_SKELETON =
  '{"Operation": {"S3UpdateObjectEncryption": {}}, "Filter": {"MatchAnyObjectEncryption": []}}';

async function startJobs(plan: Plan, args: string[], skeleton = CURRENT_SKELETON) {
  const dir = await writeToTemp(await render(plan));
  const fake = await installFakeAws();
  const run = await runScript(
    join(dir, 'batch-operations/start-jobs.sh'),
    args,
    scriptEnv({
      ...fake.env,
      FAKE_AWS_KEY_ARN: KEY_ARN,
      FAKE_AWS_ALIAS_EXISTS: '1',
      FAKE_AWS_SKELETON: skeleton,
    }),
  );
  const calls = await fake.calls();
  const created = calls
    .filter((call) => call[0] === 's3control' && call[1] === 'create-job')
    .map((call) => JSON.parse(flagValue(call, '--cli-input-json') ?? '{}') as CreateJobCommandInput);
  return { ...run, calls, created };
}

describe('start-jobs.sh', () => {
  it('sends the UpdateObjectEncryption job and the copy jobs named, exactly as rendered', async () => {
    const run = await startJobs(withKey, ['STANDARD', 'GLACIER_IR']);
    expect(run.output).not.toContain('start-jobs.sh:');
    expect(run.code).toBe(0);
    const [update, , , , , glacier] = jobFiles(withKey);
    const standard = jobFiles(withKey)[1];
    expect(run.created).toEqual([update?.request, standard?.request, glacier?.request]);
    for (const job of run.created)
      expect(run.stdout).toContain(
        `aws s3control update-job-status --region eu-west-1 --account-id ${ACCOUNT} --job-id job-${job.ClientRequestToken} --requested-job-status Ready`,
      );
  });

  it('by default sends the UpdateObjectEncryption job and the STANDARD copy job', async () => {
    const run = await startJobs(withKey, []);
    expect(run.code).toBe(0);
    expect(run.created.map((job) => job.ClientRequestToken)).toEqual(
      jobFiles(withKey)
        .slice(0, 2)
        .map((job) => job.request.ClientRequestToken),
    );
  });

  it('puts the key it finds by alias where a new key’s ARN belongs', async () => {
    const run = await startJobs(newKey, []);
    expect(run.code).toBe(0);
    const [update] = jobFiles(newKey);
    expect(JSON.stringify(update?.request)).toContain(KEY_ARN_PLACEHOLDER);
    expect(run.created[0]).toEqual(
      JSON.parse(JSON.stringify(update?.request).replaceAll(KEY_ARN_PLACEHOLDER, KEY_ARN)),
    );
    expect(JSON.stringify(run.created)).not.toContain(KEY_ARN_PLACEHOLDER);
    expect(run.calls[0]).toEqual(
      expect.arrayContaining(['kms', 'describe-key', '--key-id', 'alias/acme-data']),
    );
  });

  it('creates no job for an unknown storage class, or with a CLI too old for the jobs', async () => {
    const unknown = await startJobs(withKey, ['STANDARD', 'DEEP_ARCHIVE']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'no copy job for storage class DEEP_ARCHIVE; one of: STANDARD STANDARD_IA',
    );
    expect(unknown.created).toEqual([]);
    const old = await startJobs(withKey, [], '{"Operation": {"S3PutObjectCopy": {}}}');
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('does not know S3UpdateObjectEncryption; upgrade it');
    expect(old.created).toEqual([]);
  });
});

/** Not spawnSync: keep the event loop free, as every other script run here does. */
function runCli(args: string[]) {
  return new Promise<string>((resolve) => {
    const child = spawn('aws', args, {
      env: {
        ...process.env,
        // Nothing listens on port 9: a request that passes validation fails to connect.
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'a',
        AWS_SECRET_ACCESS_KEY: 'b',
        AWS_MAX_ATTEMPTS: '1',
        AWS_CONFIG_FILE: '/dev/null',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', () => resolve(stderr));
  });
}

it('every job file passes the aws CLI’s parameter validation', async () => {
  requireCommand('aws', 'install the aws CLI (the project image ships it)');
  for (const job of jobFiles(withKey)) {
    const stderr = await runCli([
      's3control',
      'create-job',
      '--region',
      'eu-west-1',
      '--cli-input-json',
      JSON.stringify(job.request),
    ]);
    expect(stderr, job.file).not.toMatch(/Parameter validation failed|Unknown parameter|Invalid type/);
    expect(stderr, job.file).toMatch(/Could not connect/);
  }
}, 60_000);
