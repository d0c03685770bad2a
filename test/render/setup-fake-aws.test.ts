import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { storedPolicy } from '../../src/apply/policy-json.js';
import type { AccountState, FoundKey } from '../../src/apply/state.js';
import { renderPlan } from '../../src/render/index.js';
import { lockPlan } from '../../src/render/lock-plan.js';
import type { Plan } from '../../src/types.js';
import { KEY_ARN_PLACEHOLDER } from '../../src/types.js';
import { MOTO_ACCOUNT_ID } from '../helpers/moto.js';
import { caseNamed, planFor } from './helpers/cases.js';
import { flagValue, installFakeAws } from './helpers/fake-aws.js';
import { parseHcl, unescapeTemplate } from './helpers/hcl.js';
import { fileAt, loadTemplates, render, writeToTemp } from './helpers/render-case.js';
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

async function runSetup(plan: Plan, fakeEnv: Record<string, string> = {}, cwd?: string) {
  const files = await render(plan);
  const dir = await writeToTemp(files);
  const fake = await installFakeAws();
  const run = await runScript(
    join(dir, 'setup.sh'),
    [],
    scriptEnv({ ...fake.env, FAKE_AWS_KEY_ARN: KEY, ...fakeEnv }),
    cwd,
  );
  return { ...run, dir, files, calls: await fake.calls() };
}

/** The one backup folder a run made, as file name -> text. */
async function backupOf(dir: string): Promise<Record<string, string>> {
  const folders = await readdir(join(dir, 'backups'));
  expect(folders).toHaveLength(1);
  const folder = join(dir, 'backups', folders[0] ?? '');
  const names = await readdir(folder);
  return Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await readFile(join(folder, name), 'utf8')])),
  );
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
      // app, operator, auditor and the key administrator.
      'iam put-role-policy',
      'iam put-role-policy',
      'iam put-role-policy',
      'iam put-role-policy',
    ]);
    for (const call of run.calls) expect(flagValue(call, '--region'), call.join(' ')).toBe('eu-west-1');
    // aws CLI v1 and v2 format output differently unless asked for text; only the backups
    // of JSON documents ask for JSON, which both print alike and which a put call takes back.
    for (const call of run.calls.filter((c) => c.includes('--query'))) {
      const json = ['get-bucket-encryption', 'get-public-access-block', 'get-role-policy'];
      expect(flagValue(call, '--output'), call.join(' ')).toBe(
        json.includes(call[1] ?? '') ? 'json' : 'text',
      );
    }

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
    const app =
      run.calls.find((c) => c[1] === 'put-role-policy' && flagValue(c, '--role-name') === 'invoice-app') ??
      [];
    expect(flagValue(app, '--policy-name')).toBe(plan.rolePolicyNames.app);
    expect(flagValue(app, '--policy-document')).toBe(file('policies/app-policy.json'));
    expect(run.stdout).toContain(`protected with ${KEY}`);
  });

  test('every read and backup comes before the first write', async () => {
    const run = await runSetup(planFor(caseNamed('kms-strict-new-key')), { FAKE_AWS_BUCKET_EXISTS: '1' });
    expect(run.code, run.output).toBe(0);
    const names = run.calls.map((call) => call[1] ?? '');
    const firstWrite = names.findIndex((name) => /^(create|put|enable)-/.test(name));
    const reads = [
      'get-role',
      'get-bucket-policy',
      'get-bucket-encryption',
      'get-public-access-block',
      'get-role-policy',
    ];
    for (const read of reads) {
      const index = names.indexOf(read);
      expect(index, read).toBeGreaterThan(-1);
      expect(index, read).toBeLessThan(firstWrite);
    }
    expect(names.filter((name) => name === 'get-role-policy')).toHaveLength(4);
    // Each role it puts a policy on is looked up by name, before the backup's reads.
    const roles = run.calls.filter((call) => call[1] === 'get-role');
    expect(roles.map((call) => flagValue(call, '--role-name'))).toEqual([
      'invoice-app',
      'platform-ops',
      'security-audit',
      'key-custodian',
    ]);
    // The lock reads the bucket policy first; the backup reads it again after the roles.
    expect(names.indexOf('get-bucket-policy')).toBeLessThan(names.indexOf('get-role'));
    expect(names.lastIndexOf('get-role')).toBeLessThan(names.lastIndexOf('get-bucket-policy'));
  });

  test('an existing bucket with nothing set: the backup notes each missing item, and is no error', async () => {
    const run = await runSetup(planFor(caseNamed('kms-strict-new-key')), { FAKE_AWS_BUCKET_EXISTS: '1' });
    expect(run.code, run.output).toBe(0);
    const backup = await backupOf(run.dir);
    // Nothing existed, so nothing but the notes.
    expect(Object.keys(backup)).toEqual(['notes.txt']);
    const notes = backup['notes.txt'] ?? '';
    expect(notes).toMatch(
      /^Saved by setup\.sh at \d{8}T\d{6}Z, before it changed anything, for bucket acme-invoices/,
    );
    expect(notes).toContain('bucket-policy.json: none (NoSuchBucketPolicy)');
    expect(notes).toContain('bucket-encryption.json: none (ServerSideEncryptionConfigurationNotFoundError)');
    expect(notes).toContain('public-access-block.json: none (NoSuchPublicAccessBlockConfiguration)');
    expect(notes).toContain('key settings: none; the key does not exist yet');
    expect(notes).toContain(
      'role-invoice-app.encrypted-bucket-acme-invoices-app.json: none (NoSuchEntity); there was no inline policy encrypted-bucket-acme-invoices-app of role invoice-app',
    );
    expect(notes.match(/: none \(NoSuchEntity\)/g)).toHaveLength(4);
    expect(run.stdout).toContain(`into ${join(run.dir, 'backups')}/`);
    expect(run.stdout).toContain('no bucket policy (NoSuchBucketPolicy)');
  });

  test('a bucket setup.sh creates: the backup notes there were no bucket settings yet', async () => {
    const run = await runSetup(planFor(caseNamed('sse-s3-strict')));
    expect(run.code, run.output).toBe(0);
    const notes = (await backupOf(run.dir))['notes.txt'] ?? '';
    expect(notes).toContain('bucket settings: none; the bucket does not exist yet');
    expect(notes).not.toContain('key');
    // Read once, for the lock; nothing of the bucket to back up.
    expect(run.calls.filter((call) => call[1] === 'get-bucket-policy')).toHaveLength(1);
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

describe('a role the plan puts a policy on does not exist', () => {
  test('stops before any write, naming the role and the fix; no backup folder', async () => {
    const run = await runSetup(planFor(caseNamed('kms-compatible-all-roles')), {
      FAKE_AWS_BUCKET_EXISTS: '1',
      FAKE_AWS_MISSING_ROLES: JSON.stringify(['report-reader']),
    });
    expect(run.code, run.output).toBe(1);
    expect(writes(run.calls)).toEqual([]);
    expect(run.stderr).toContain('role report-reader does not exist');
    expect(run.stderr).toContain('Create role report-reader first, or render again without it.');
    expect(run.stderr).toContain('Nothing has been changed.');
    // Only the missing one is named; every role was checked, so all missing ones would be.
    for (const role of ['report-writer', 'platform-ops', 'security-audit', 'key-custodian']) {
      expect(run.stderr).not.toContain(role);
    }
    expect(run.calls.filter((call) => call[1] === 'get-role')).toHaveLength(5);
    // It stopped in the checks, before the backup.
    expect(existsSync(join(run.dir, 'backups'))).toBe(false);
    expect(run.calls.map((call) => call[1])).not.toContain('get-bucket-encryption');
  });

  test('several missing: each is named; a role with a path is looked up by its name', async () => {
    const run = await runSetup(planFor(caseNamed('kms-role-with-path')), {
      FAKE_AWS_MISSING_ROLES: JSON.stringify(['uploader', 'platform-ops']),
    });
    expect(run.code, run.output).toBe(1);
    expect(writes(run.calls)).toEqual([]);
    for (const role of ['uploader', 'platform-ops']) {
      expect(run.stderr).toContain(`role ${role} does not exist`);
      expect(run.stderr).toContain(`Create role ${role} first, or render again without it.`);
    }
    expect(
      run.calls.filter((call) => call[1] === 'get-role').map((call) => flagValue(call, '--role-name')),
    ).toEqual(['uploader', 'platform-ops', 'key-custodian']);
  });

  test('a plan without roles checks none', async () => {
    const run = await runSetup(planFor(caseNamed('sse-s3-compatible')), { FAKE_AWS_BUCKET_EXISTS: '1' });
    expect(run.code, run.output).toBe(0);
    expect(run.calls.map((call) => call[1])).not.toContain('get-role');
    expect(run.stdout).not.toContain('Check that the roles exist');
  });
});

/** The account as apply's discovery would report it: the bucket exists, with this policy text. */
function accountWith(
  options: { bucketPolicy?: string; key?: FoundKey; taggedKeys?: string[] } = {},
): AccountState {
  return {
    caller: { account: MOTO_ACCOUNT_ID, arn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/admin` },
    bucket: {
      status: 'exists',
      region: 'eu-west-1',
      encryption: undefined,
      policy: options.bucketPolicy ? storedPolicy(options.bucketPolicy) : undefined,
      publicAccessBlock: undefined,
      holdsObjects: false,
    },
    key: options.key,
    ...(options.taggedKeys ? { taggedKeys: options.taggedKeys } : {}),
    roles: [],
    blockers: [],
    warnings: [],
  };
}

/** Renders as render does after reading the account: merged, locked. */
async function runLockedSetup(plan: Plan, state: AccountState, fakeEnv: Record<string, string>) {
  const locked = lockPlan(plan, state);
  const files = renderPlan(locked.plan, await loadTemplates(), locked.lock);
  const dir = await writeToTemp(files);
  const fake = await installFakeAws();
  const run = await runScript(
    join(dir, 'setup.sh'),
    [],
    scriptEnv({ ...fake.env, FAKE_AWS_KEY_ARN: KEY, FAKE_AWS_BUCKET_EXISTS: '1', ...fakeEnv }),
  );
  return { ...run, dir, files, calls: await fake.calls() };
}

const CHANGED = 'the account changed since this was rendered; render again';

// The lock: setup.sh compares digests of what the account holds with what render read, and
// makes no decision of its own. setup-safety.test.ts and test/flows/scripts-lock.test.ts show
// the same end to end, with the real aws CLIs.
describe('the lock, as a fake aws sees it', () => {
  const plan = () => planFor(caseNamed('kms-compatible-all-roles'));
  const ours = (sid: string) => ({
    Sid: `EncryptedBucket${sid}`,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
  });
  const grant = {
    Sid: 'CrossAccountRead',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::210987654321:root' },
    Action: 's3:GetObject',
  };
  const foreign = JSON.stringify({ Version: '2012-10-17', Statement: [ours('A'), grant] });

  test('rendered offline, a bucket policy there: refused before any read of the backup, nothing written', async () => {
    const run = await runSetup(plan(), { FAKE_AWS_BUCKET_EXISTS: '1', FAKE_AWS_BUCKET_POLICY: foreign });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the bucket policy is not what it was when these files were rendered');
    expect(run.stderr).toContain('rendered without reading the account');
    expect(run.stderr).toContain(CHANGED);
    expect(writes(run.calls)).toEqual([]);
    expect(existsSync(join(run.dir, 'backups'))).toBe(false);
  });

  test('rendered offline, a key under the alias: refused, nothing written', async () => {
    const run = await runSetup(planFor(caseNamed('kms-strict-new-key')), {
      FAKE_AWS_ALIAS_EXISTS: '1',
      FAKE_AWS_KEY_POLICY: '{"Statement":[]}',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the KMS key (alias, key, key policy) is not what it was');
    expect(run.stderr).toContain(CHANGED);
    expect(writes(run.calls)).toEqual([]);
  });

  test.each([
    ['minified', (text: string) => JSON.stringify(JSON.parse(text))],
    [
      'pretty, tabs and newlines',
      (text: string) => JSON.stringify(JSON.parse(text), null, '\t').replaceAll(':', ' :\n '),
    ],
  ])('a re-run: what this plan wrote is accepted in any layout (%s)', async (_layout, layout) => {
    const files = await render(plan());
    const written = fileAt(files, 'policies/bucket-policy.json').content.replaceAll(KEY_ARN_PLACEHOLDER, KEY);
    // The alias names the key the first run created, with this plan's key policy.
    const run = await runSetup(plan(), {
      FAKE_AWS_BUCKET_EXISTS: '1',
      FAKE_AWS_BUCKET_POLICY: layout(written),
      FAKE_AWS_ALIAS_EXISTS: '1',
      FAKE_AWS_KEY_POLICY: layout(fileAt(files, 'policies/key-policy.json').content),
    });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain('the bucket policy: as rendered');
    expect(writes(run.calls)).not.toContain('kms create-key');
    expect((await backupOf(run.dir))['bucket-policy.json']).toBe(`${layout(written)}\n`);
  });

  test('read at render: their statement is merged in TypeScript, and setup.sh puts that document', async () => {
    const run = await runLockedSetup(plan(), accountWith({ bucketPolicy: foreign }), {
      FAKE_AWS_BUCKET_POLICY: foreign,
    });
    expect(run.code, run.output).toBe(0);
    const put = run.calls.find((call) => call[1] === 'put-bucket-policy') ?? [];
    const sent = JSON.parse(flagValue(put, '--policy') ?? '');
    expect(sent.Statement[0]).toEqual(grant);
    expect(sent.Statement.map((statement: { Sid: string }) => statement.Sid)).not.toContain(
      'EncryptedBucketA',
    );
    expect(sent).toEqual(
      JSON.parse(
        fileAt(run.files, 'policies/bucket-policy.json').content.replaceAll(KEY_ARN_PLACEHOLDER, KEY),
      ),
    );
  });

  test('read at render, then changed: refused, nothing written, no backup', async () => {
    const changed = JSON.stringify({
      Version: '2012-10-17',
      Statement: [grant, { ...grant, Sid: 'Another' }],
    });
    const run = await runLockedSetup(plan(), accountWith({ bucketPolicy: foreign }), {
      FAKE_AWS_BUCKET_POLICY: changed,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(CHANGED);
    expect(run.stderr).not.toContain('rendered without reading the account');
    expect(writes(run.calls)).toEqual([]);
    expect(existsSync(join(run.dir, 'backups'))).toBe(false);
  });

  test('a key found at render is used as found; its policy changed since: refused', async () => {
    const newKeyPlan = planFor(caseNamed('kms-strict-new-key'));
    const key: FoundKey = {
      arn: KEY,
      keyId: KEY.split('/')[1] ?? '',
      foundBy: 'alias',
      hasAlias: true,
      policy: storedPolicy('{"Version":"2012-10-17","Statement":[]}'),
      rotation: { enabled: false, periodDays: undefined },
    };
    const env = {
      FAKE_AWS_ALIAS_EXISTS: '1',
      FAKE_AWS_KEY_POLICY: '{"Version": "2012-10-17", "Statement": []}',
    };
    const used = await runLockedSetup(newKeyPlan, accountWith({ key }), env);
    expect(used.code, used.output).toBe(0);
    expect(writes(used.calls)).not.toContain('kms create-key');
    expect(writes(used.calls)).not.toContain('kms create-alias');
    expect(flagValue(used.calls.find((call) => call[1] === 'put-key-policy') ?? [], '--key-id')).toBe(KEY);

    const changed = await runLockedSetup(newKeyPlan, accountWith({ key }), {
      ...env,
      FAKE_AWS_KEY_POLICY: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}',
    });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(CHANGED);
    expect(writes(changed.calls)).toEqual([]);
  });
});

// A run that created the key and stopped before its alias (interrupted, or kms:CreateAlias
// refused) left a key with this bucket's tag and no alias: it must never be made twice.
describe('the keys tagged for this bucket, as a fake aws sees them', () => {
  const plan = () => planFor(caseNamed('kms-strict-new-key'));
  const OTHER = KEY.replace(/1111/, '9999');
  const tagRead = (calls: string[][]) => calls.filter((call) => call[1] === 'get-resources');

  test('read once, by the tag, before any write', async () => {
    const run = await runSetup(plan());
    expect(run.code, run.output).toBe(0);
    const [read, ...more] = tagRead(run.calls);
    expect(more).toEqual([]);
    expect(read?.[0]).toBe('resourcegroupstaggingapi');
    expect(flagValue(read ?? [], '--resource-type-filters')).toBe('kms:key');
    expect(JSON.parse(flagValue(read ?? [], '--tag-filters') ?? '')).toEqual([
      { Key: 'create-encrypted-bucket:bucket', Values: ['acme-invoices'] },
    ]);
    expect(flagValue(read ?? [], '--region')).toBe('eu-west-1');
    expect(run.calls.indexOf(read ?? [])).toBeLessThan(
      run.calls.findIndex((call) => call[1] === 'create-key'),
    );
  });

  test('rendered offline, a tagged key the alias does not name: refused, no second key, nothing written', async () => {
    const run = await runSetup(plan(), { FAKE_AWS_TAGGED_KEYS: KEY });
    expect(run.code, run.output).toBe(1);
    expect(run.stdout).toContain('the KMS key (alias, key, key policy): as rendered');
    expect(run.stderr).toContain('the list of keys tagged for this bucket is not what it was');
    expect(run.stderr).toContain('rendered without reading the account');
    expect(run.stderr).toContain(CHANGED);
    expect(writes(run.calls)).toEqual([]);
    expect(existsSync(join(run.dir, 'backups'))).toBe(false);
  });

  test('rendered again after reading the account: the key found by its tag gets the alias, none is created', async () => {
    const policy = '{"Version":"2012-10-17","Statement":[]}';
    const key: FoundKey = {
      arn: KEY,
      keyId: KEY.split('/')[1] ?? '',
      foundBy: 'tag',
      hasAlias: false,
      policy: storedPolicy(policy),
      rotation: undefined,
    };
    const run = await runLockedSetup(plan(), accountWith({ key, taggedKeys: [KEY] }), {
      FAKE_AWS_TAGGED_KEYS: KEY,
      FAKE_AWS_KEY_POLICY: policy,
    });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain('the list of keys tagged for this bucket: as rendered');
    expect(writes(run.calls)).not.toContain('kms create-key');
    const alias = run.calls.find((call) => call[1] === 'create-alias') ?? [];
    expect(flagValue(alias, '--target-key-id')).toBe(KEY);
  });

  test('a tagged key render saw pending deletion: a new key is created, once', async () => {
    const run = await runLockedSetup(plan(), accountWith({ taggedKeys: [OTHER] }), {
      FAKE_AWS_TAGGED_KEYS: OTHER,
    });
    expect(run.code, run.output).toBe(0);
    expect(writes(run.calls).filter((call) => call === 'kms create-key')).toHaveLength(1);
  });

  test('the alias names the key: other tagged keys change nothing, as apply ignores them', async () => {
    const files = await render(plan());
    const run = await runSetup(plan(), {
      FAKE_AWS_ALIAS_EXISTS: '1',
      FAKE_AWS_KEY_POLICY: fileAt(files, 'policies/key-policy.json').content,
      FAKE_AWS_TAGGED_KEYS: `${KEY} ${OTHER}`,
    });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain('the list of keys tagged for this bucket: as rendered');
    expect(writes(run.calls)).not.toContain('kms create-key');
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
