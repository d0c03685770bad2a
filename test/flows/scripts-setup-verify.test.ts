import { join } from 'node:path';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { HeadBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { adminCredentials, clientsAs, createRoles } from '../standin/accounts.js';
import { ADMIN_ROLE } from '../standin/standin.js';
import { accountState, cloudFormationState, expectEquivalent, KEY, terraformState } from './account-state.js';
import {
  cliVerdicts,
  keyArnFromSetup,
  renderInto,
  runScript,
  scriptVerdicts,
  verifyCommand,
} from './scripts-support.js';
import { BUCKET, REGION, ROLES, SETUP_FLAGS, useFlows } from './support.js';

/*
 * The rendered scripts as they run in real life, through the stand-in: setup.sh as the account
 * administrator, then verify.sh as an application role, under aws CLI v1 (pip, first on PATH)
 * and v2 (Debian's 2.9.19, through a wrapper passing --endpoint-url). verify.sh must give the
 * TypeScript verifier's verdicts, check by check, on the same account and as the same role.
 */
const flows = useFlows('ceb-flow-scripts-');
/**
 * setup.sh runs as whoever maintains the setup: a key administrator. Run by anyone else, KMS's
 * lockout safety check refuses to create a key whose policy would shut its creator out.
 */
const MAINTAINED_BY_ADMINISTRATOR = [...SETUP_FLAGS, '--key-admin-role', ADMIN_ROLE];
const SLOW = 400_000;
const FULL_RUN = 300_000;

/** The new key's alias: the plan's default for the bucket. */
const ALIAS = `alias/${BUCKET}`;
const accountNow = () =>
  accountState(flows.standIn.motoEndpoint, {
    bucket: BUCKET,
    region: REGION,
    roles: [...Object.values(ROLES), ADMIN_ROLE],
    alias: ALIAS,
  });

async function seedRoles() {
  await createRoles(
    flows.standIn,
    Object.values(ROLES).map((name) => ({ name })),
  );
}

describe('setup.sh as the administrator, then verify.sh as an application role', () => {
  // One setup (setup.sh takes most of a test's time), then every seat and CLI against it.
  it(
    "aws CLI v1 and v2: every check passes, with the TypeScript verifier's names and verdicts; nothing is left behind; as the administrator KMS refuses; over plain HTTP both scripts are refused; the account then holds what apply, Terraform and CloudFormation hold",
    async () => {
      await seedRoles();
      const dir = await renderInto(flows, 'out', MAINTAINED_BY_ADMINISTRATOR);
      // About 40 aws CLI v1 calls: past the default 120 s on a loaded machine.
      const setup = await runScript(flows, join(dir, 'setup.sh'), { cli: 'v1', timeoutMs: FULL_RUN });
      expect(setup.code, setup.stdout + setup.stderr).toBe(0);
      const keyArn = keyArnFromSetup(setup.stdout);
      const afterSetup = await accountNow();

      const app = await flows.standIn.assumeRole(ROLES.app);
      const typescript = await flows.cli(verifyCommand(keyArn), { as: app });
      expect(typescript.code, typescript.stderr).toBe(0);
      for (const cli of ['v1', 'v2'] as const) {
        const script = await runScript(flows, join(dir, 'verify.sh'), { cli, as: app });
        expect(script.code, `${cli}:\n${script.stdout}${script.stderr}`).toBe(0);
        const verdicts = scriptVerdicts(script.stdout);
        expect(verdicts, cli).toEqual(cliVerdicts(typescript));
        expect(verdicts.length).toBeGreaterThanOrEqual(10);
        expect(verdicts.every(([, verdict]) => verdict === 'PASS')).toBe(true);
        expect(script.stdout).toMatch(
          new RegExp(`^PASS {2}object: KMS key +test object: SSEKMSKeyId = ${keyArn}$`, 'm'),
        );
      }
      const { s3 } = await clientsAs(flows.standIn, adminCredentials(flows.standIn));
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      expect(listed.KeyCount ?? 0).toBe(0);

      // The administrator may not use the key: KMS refuses, and the refusals then prove nothing.
      const asAdministrator = await runScript(flows, join(dir, 'verify.sh'), { cli: 'v1' });
      expect(asAdministrator.code).toBe(1);
      expect(asAdministrator.stdout).toMatch(
        /^FAIL {2}upload with aws:kms \+ this key accepted +An error occurred \(AccessDenied\).*kms:GenerateDataKey.*run verify\.sh as an application role/m,
      );
      expect(asAdministrator.stdout).toMatch(
        /^FAIL {2}AES256 upload refused .*proves nothing about the policy/m,
      );

      // Plain HTTP, once the bucket policy is in place.
      const plain = flows.standIn.httpEndpoint;
      const overHttp = await runScript(flows, join(dir, 'verify.sh'), {
        cli: 'v1',
        as: app,
        endpoint: plain,
      });
      expect(overHttp.code).toBe(1);
      expect(overHttp.stdout).toMatch(
        /^FAIL {2}upload with aws:kms \+ this key accepted +An error occurred \(AccessDenied\).*explicit deny in a resource-based policy/m,
      );
      const setupOverHttp = await runScript(flows, join(dir, 'setup.sh'), { cli: 'v1', endpoint: plain });
      expect(setupOverHttp.code).toBe(1);
      // Its first read, the lock's, is refused by the bucket policy's deny of plain HTTP.
      expect(setupOverHttp.stderr).toMatch(/cannot read the account:\s+An error occurred \(AccessDenied\)/);
      expect(setupOverHttp.stdout).not.toMatch(/==> Create|==> Put|==> Enable/);

      // Equivalence, case sse-kms + new key + new bucket: apply with the same flags on a fresh
      // account, and the rendered templates, hold what setup.sh left.
      await flows.standIn.reset();
      await seedRoles();
      const applied = await flows.cli([...MAINTAINED_BY_ADMINISTRATOR, '--apply', '--yes', '--no-verify']);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      const views = {
        setup: afterSetup,
        apply: await accountNow(),
        terraform: await terraformState(dir),
        cloudFormation: cloudFormationState(dir),
      };
      expectEquivalent(views, { createBucket: true, newKey: true });
      expect(afterSetup.bucket?.encryption).toEqual({
        algorithm: 'aws:kms',
        key: KEY,
        bucketKey: true,
        blockedEncryptionTypes: ['SSE-C'],
      });
      expect(afterSetup.key?.rotation).toBe(true);
    },
    SLOW,
  );

  // Equivalence under v2: Debian's 2.9 refuses every plan before its first write (its model has
  // no BlockedEncryptionTypes), so it is proven by the refusal and an unchanged account.
  it(
    'aws CLI v2.9: setup.sh refuses before its first write, naming what to upgrade; the account is unchanged',
    async () => {
      await seedRoles();
      const dir = await renderInto(flows, 'out', MAINTAINED_BY_ADMINISTRATOR);
      const setup = await runScript(flows, join(dir, 'setup.sh'), { cli: 'v2' });
      expect(setup.code).toBe(1);
      expect(setup.stderr).toMatch(/aws-cli\/2\.9\.19/);
      expect(setup.stderr).toContain('kms enable-key-rotation --rotation-period-in-days');
      expect(setup.stderr).toMatch(/upgrade the aws CLI/i);
      expect(setup.stderr).toContain('Nothing has been changed.');

      const { s3, kms } = await clientsAs(flows.standIn, adminCredentials(flows.standIn));
      await expect(s3.send(new HeadBucketCommand({ Bucket: BUCKET }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
      expect((await kms.send(new ListKeysCommand({}))).Keys ?? []).toEqual([]);
    },
    SLOW,
  );
});
