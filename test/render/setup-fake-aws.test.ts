import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Plan } from '../../src/types.js';
import { KEY_ARN_PLACEHOLDER } from '../../src/types.js';
import { MOTO_ACCOUNT_ID } from '../helpers/moto.js';
import { caseNamed, planFor } from './helpers/cases.js';
import { flagValue, installFakeAws } from './helpers/fake-aws.js';
import { parseHcl, unescapeTemplate } from './helpers/hcl.js';
import { fileAt, render, writeToTemp } from './helpers/render-case.js';
import { runScript, scriptEnv } from './helpers/run-script.js';
import { removeTempDirs } from './helpers/temp-dirs.js';

afterAll(removeTempDirs);

/*
 * setup.sh against a fake aws that logs its arguments. moto proves the end state
 * (setup-moto.test.ts); this layer proves what moto cannot show: the exact arguments,
 * such as the rotation period moto does not echo, the order of the calls, and that
 * hostile values arrive as single literal arguments.
 */

const KEY = `arn:aws:kms:eu-west-1:${MOTO_ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`;

async function runSetup(plan: Plan, fakeEnv: Record<string, string> = {}) {
  const files = await render(plan);
  const dir = await writeToTemp(files);
  const fake = await installFakeAws();
  const run = await runScript(
    join(dir, 'setup.sh'),
    [],
    scriptEnv({ ...fake.env, FAKE_AWS_KEY_ARN: KEY, ...fakeEnv }),
  );
  return { ...run, dir, files, calls: await fake.calls() };
}

/** The write calls, in order, as `service command`. */
const writes = (calls: string[][]) =>
  calls.map((call) => `${call[0]} ${call[1]}`).filter((name) => /(create|put|enable)-/.test(name));

describe('setup.sh calls, as a fake aws sees them', () => {
  test('a fresh account: every step in plan order, with the arguments the plan says', async () => {
    const plan = planFor(caseNamed('kms-strict-new-key'));
    const run = await runSetup(plan);
    expect(run.code, run.output).toBe(0);
    expect(writes(run.calls)).toEqual([
      's3api create-bucket',
      'kms create-key',
      'kms create-alias',
      'kms enable-key-rotation',
      'kms put-key-policy',
      's3api put-bucket-encryption',
      's3api put-public-access-block',
      's3api put-bucket-policy',
      'iam put-role-policy',
      'iam put-role-policy',
      'iam put-role-policy',
    ]);
    for (const call of run.calls) expect(flagValue(call, '--region'), call.join(' ')).toBe('eu-west-1');
    // aws CLI v1 and v2 format output differently unless asked for text.
    for (const call of run.calls.filter((c) => c.includes('--query')))
      expect(flagValue(call, '--output')).toBe('text');

    const call = (name: string) => run.calls.find((c) => `${c[0]} ${c[1]}` === name) ?? [];
    expect(flagValue(call('s3api create-bucket'), '--create-bucket-configuration')).toBe(
      'LocationConstraint=eu-west-1',
    );
    expect(flagValue(call('s3api create-bucket'), '--object-ownership')).toBe('BucketOwnerEnforced');
    expect(JSON.parse(flagValue(call('kms create-key'), '--tags') ?? '')).toEqual([
      { TagKey: 'create-encrypted-bucket:bucket', TagValue: 'acme-invoices' },
    ]);
    expect(flagValue(call('kms create-key'), '--policy')).toBe('file://policies/key-policy.json');
    expect(flagValue(call('kms enable-key-rotation'), '--rotation-period-in-days')).toBe('365');
    expect(flagValue(call('kms put-key-policy'), '--key-id')).toBe(KEY);

    // The documents sent are the files' bytes with the placeholder replaced, nothing else.
    const file = (path: string) =>
      fileAt(run.files, path).content.trimEnd().replaceAll(KEY_ARN_PLACEHOLDER, KEY);
    expect(flagValue(call('s3api put-bucket-policy'), '--policy')).toBe(file('policies/bucket-policy.json'));
    expect(flagValue(call('s3api put-bucket-encryption'), '--server-side-encryption-configuration')).toBe(
      file('policies/bucket-encryption.json'),
    );
    const app = run.calls.find((c) => flagValue(c, '--role-name') === 'invoice-app') ?? [];
    expect(flagValue(app, '--policy-name')).toBe(plan.rolePolicyNames.app);
    expect(flagValue(app, '--policy-document')).toBe(file('policies/app-policy.json'));
    expect(run.stdout).toContain(`protected with ${KEY}`);
  });

  test('the rotation period is the planned one (moto does not echo it)', async () => {
    const run = await runSetup(planFor(caseNamed('kms-compatible-all-roles')), {
      FAKE_AWS_BUCKET_EXISTS: '1',
    });
    expect(run.code, run.output).toBe(0);
    const rotation = run.calls.find((call) => call[1] === 'enable-key-rotation') ?? [];
    expect(flagValue(rotation, '--rotation-period-in-days')).toBe('180');
  });

  test('us-east-1: no LocationConstraint, which S3 refuses there', async () => {
    const run = await runSetup(planFor(caseNamed('kms-dotted-bucket-us-east-1')));
    expect(run.code, run.output).toBe(0);
    const create = run.calls.find((call) => call[1] === 'create-bucket') ?? [];
    expect(create).not.toContain('--create-bucket-configuration');
    expect(flagValue(create, '--bucket')).toBe('logs.acme.example');
  });

  test('a bucket that should exist but does not: stops before creating a key', async () => {
    const run = await runSetup(planFor(caseNamed('kms-compatible-all-roles')));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot reach bucket acme-reports');
    expect(writes(run.calls)).toEqual([]);
  });
});

describe('hostile values', () => {
  // Validation keeps such names out of a real Config; this proves the renderer would not
  // depend on that: every value reaches the aws CLI as one literal argument.
  const HOSTILE = `x'; touch pwned-quote; '$(touch pwned-subst)\`touch pwned-tick\`\${IFS}"q"%{ if }\nline2`;

  function hostilePlan(): Plan {
    const plan = planFor(caseNamed('kms-strict-new-key'));
    const text = JSON.stringify(plan).replaceAll('"invoice-app"', JSON.stringify(HOSTILE));
    return JSON.parse(
      text.replaceAll('role/invoice-app', `role/${JSON.stringify(HOSTILE).slice(1, -1)}`),
    ) as Plan;
  }

  test('reach the aws CLI as single literal arguments, and run nothing', async () => {
    const run = await runSetup(hostilePlan());
    expect(run.code, run.output).toBe(0);
    const put = run.calls.find((call) => call[1] === 'put-role-policy' && call.includes(HOSTILE));
    expect(flagValue(put ?? [], '--role-name')).toBe(HOSTILE);
    for (const marker of ['pwned-quote', 'pwned-subst', 'pwned-tick']) {
      expect(existsSync(join(run.dir, marker)), marker).toBe(false);
    }
    expect(run.stdout).toContain(`on role ${HOSTILE}`);
  });

  test('stay literal strings in Terraform, in quoted strings and in heredoc policies', async () => {
    const plan = hostilePlan();
    const files = await render(plan);
    const main = await parseHcl('main.tf', fileAt(files, 'terraform/main.tf').content);
    const policies = Object.values(main.resource.aws_iam_role_policy).map(
      (blocks) => (blocks as { role: string }[])[0],
    );
    expect(policies.map((policy) => unescapeTemplate(policy?.role ?? ''))).toContain(HOSTILE);
    // The key policy names the role's ARN, `${IFS}` and `%{ if }` included, as plain text.
    const keyPolicy = main.resource.aws_kms_key.this[0].policy as string;
    expect(JSON.parse(unescapeTemplate(keyPolicy))).toEqual(plan.documents.keyPolicy);
  });
});
