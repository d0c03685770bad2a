import { join } from 'node:path';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketEncryptionCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { adminCredentials, clientsAs, createRoles } from '../standin/accounts.js';
import { ADMIN_ROLE, ADMIN_ROLE_ARN } from '../standin/standin.js';
import {
  accountState,
  cloudFormationState,
  type EncryptionState,
  expectEquivalent,
  KEY,
  terraformState,
} from './account-state.js';
import { type Flows, readRendered, renderInto, runScript } from './scripts-support.js';
import { BUCKET, keylessFlags, OAC_GRANT, REGION, ROLES, SETUP_FLAGS, useFlows } from './support.js';

/*
 * One desired state, four views: for each case, the account after setup.sh (aws CLI v1,
 * through the stand-in, as the administrator), the account after apply with the same flags on
 * a fresh account, what terraform/main.tf describes and what cloudformation/template.yaml
 * describes hold the same documents and settings. Case sse-kms + new key + new bucket rides on
 * the setup.sh run of scripts-setup-verify.test.ts. Under Debian's aws CLI 2.9 setup.sh
 * refuses every plan before its first write (its model has no BlockedEncryptionTypes), so
 * there the proof is the refusal and an unchanged account.
 */
const flows = useFlows('ceb-flow-equivalence-');
const SLOW = 400_000;
const FULL_RUN = 300_000;

async function seedRoles(names: string[]) {
  await createRoles(
    flows.standIn,
    names.map((name) => ({ name })),
  );
}

/** An existing bucket whose policy holds a statement of others, and an existing key; its ARN. */
async function seedExistingBucketAndKey(): Promise<string> {
  await seedRoles(Object.values(ROLES));
  const { s3, kms } = await clientsAs(flows.standIn, adminCredentials(flows.standIn));
  await s3.send(
    new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
  );
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [OAC_GRANT] }, null, 2);
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policy }));
  const key = await kms.send(new CreateKeyCommand({ Description: 'the team key, made before the tool' }));
  return key.KeyMetadata?.Arn ?? '';
}

const accountNow = (roles: string[], keyArns: string[] = []) =>
  accountState(flows.standIn.motoEndpoint, { bucket: BUCKET, region: REGION, roles, keyArns });

/** setup.sh under v2.9 stops before its first write; the account is as it was. */
async function expectV2Refuses(flows: Flows, dir: string, before: () => Promise<unknown>) {
  const was = await before();
  const run = await runScript(flows, join(dir, 'setup.sh'), { cli: 'v2' });
  expect(run.code, run.stdout + run.stderr).toBe(1);
  expect(run.stderr).toMatch(/upgrade the aws CLI/i);
  expect(run.stderr).toContain('Nothing has been changed.');
  expect(await before()).toEqual(was);
}

/** setup.sh under v1 as the administrator; exits 0. */
async function runSetup(dir: string) {
  const setup = await runScript(flows, join(dir, 'setup.sh'), { cli: 'v1', timeoutMs: FULL_RUN });
  expect(setup.code, setup.stdout + setup.stderr).toBe(0);
}

async function apply(flags: string[]) {
  const applied = await flows.cli([...flags, '--apply', '--yes', '--no-verify']);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
}

describe('equivalence: setup.sh, apply, Terraform and CloudFormation hold the same state', () => {
  it(
    'sse-kms, an existing key and an existing bucket with a CloudFront grant, rendered after reading the account: the grant kept in all four; CloudFormation holds no S3 resource; no source declares the key',
    async () => {
      const roles = [...Object.values(ROLES), ADMIN_ROLE];
      const flagsFor = (keyArn: string) => [
        ...SETUP_FLAGS.filter((flag) => flag !== '--create-bucket'),
        '--key-admin-role',
        ADMIN_ROLE,
        '--existing-key',
        keyArn,
      ];
      const keyArn = await seedExistingBucketAndKey();
      // With --discover render reads the account: the merged policy and the lock are rendered.
      const dir = await renderInto(flows, 'out', [...flagsFor(keyArn), '--discover']);
      expect(JSON.parse(readRendered(dir, 'policies/bucket-policy.json')).Statement[0]).toEqual(OAC_GRANT);
      await expectV2Refuses(flows, dir, () => accountNow(roles, [keyArn]));
      await runSetup(dir);
      const setup = await accountNow(roles, [keyArn]);

      await flows.standIn.reset();
      const freshKeyArn = await seedExistingBucketAndKey();
      await apply(flagsFor(freshKeyArn));
      const views = {
        setup,
        apply: await accountNow(roles, [freshKeyArn]),
        terraform: await terraformState(dir, [keyArn]),
        cloudFormation: cloudFormationState(dir, [keyArn]),
      };
      expectEquivalent(views, { createBucket: false, newKey: false });
      const policy = setup.bucket?.policy as { Statement: unknown[] };
      expect(policy.Statement[0]).toEqual(OAC_GRANT);
      expect(setup.bucket?.encryption).toMatchObject({ algorithm: 'aws:kms', key: KEY, bucketKey: true });
      expect(views.cloudFormation.bucket).toBeUndefined();
      expect(readRendered(dir, 'cloudformation/README.md')).toContain(
        'What CloudFormation does not do here: the existing bucket',
      );
    },
    SLOW,
  );

  it(
    'sse-s3, a new bucket: the same bucket policy, AES256 default encryption and role policies in all four; no key anywhere; the named administrator may make setup.sh guarded writes again',
    async () => {
      const seeded = [ROLES.app, ROLES.operator, ROLES.auditor];
      const roles = [...seeded, ADMIN_ROLE];
      const flags = [
        ...keylessFlags('sse-s3'),
        // Who maintains the bucket's guardrails; without one only root could run setup.sh again.
        '--key-admin-role',
        ADMIN_ROLE,
      ];
      await seedRoles(seeded);
      const dir = await renderInto(flows, 'out', flags);
      await expectV2Refuses(flows, dir, () =>
        accountNow(roles).catch((error: Error) => `no account state: ${error.name}`),
      );
      await runSetup(dir);
      const setup: EncryptionState = await accountNow(roles);
      // A second setup.sh run starts its writes with this one: the bucket policy must let the
      // named administrator make it (before, it excepted only root and a re-run was refused).
      const { s3 } = await clientsAs(flows.standIn, adminCredentials(flows.standIn));
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket: BUCKET,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
        }),
      );

      await flows.standIn.reset();
      await seedRoles(seeded);
      await apply(flags);
      const views = {
        setup,
        apply: await accountNow(roles),
        terraform: await terraformState(dir),
        cloudFormation: cloudFormationState(dir),
      };
      expectEquivalent(views, { createBucket: true, newKey: false });
      expect(setup.bucket?.encryption).toEqual({
        algorithm: 'AES256',
        bucketKey: false,
        blockedEncryptionTypes: ['SSE-C'],
      });
      expect(views.cloudFormation.key).toBeUndefined();
    },
    SLOW,
  );
});

describe('render with credentials, for a scheme without a KMS key', () => {
  it('makes the principal rendering the administrator of the guardrails, as apply does, so setup.sh can run again', async () => {
    await seedRoles([ROLES.app, ROLES.operator, ROLES.auditor]);
    const dir = await renderInto(flows, 'out', keylessFlags('sse-s3'));
    type Statement = { Sid: string; Condition?: { ArnNotEquals?: Record<string, string[]> } };
    const policy = JSON.parse(readRendered(dir, 'policies/bucket-policy.json')) as { Statement: Statement[] };
    const guardrails = policy.Statement.find((each) => each.Sid === 'EncryptedBucketDenyGuardrailChanges');
    expect(guardrails?.Condition?.ArnNotEquals?.['aws:PrincipalArn']).toContain(ADMIN_ROLE_ARN);
    expect(readRendered(dir, 'README.md')).not.toContain('No administrator');
  });
});
