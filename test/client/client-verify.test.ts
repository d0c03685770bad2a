import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnableKeyRotationCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../src/apply/contract.js';
import type { PolicyDocument, PolicyStatement } from '../../src/types.js';
import {
  CLIENT_APP_KEY_CHECK,
  CLIENT_APP_KEY_ROUND_TRIP,
  CLIENT_KMS_CHECKS,
} from '../../src/verify/check-definitions.js';
import { BUILT_BIN, ensureBuilt, runProgramAsync, strangerEnv } from '../e2e/support/built-cli.js';
import { adminCredentials, clientsAs, createRoles } from '../standin/accounts.js';
import type { Credentials } from '../standin/standin.js';
import { useStandIn } from '../standin/use-standin.js';
import { BUCKET, clientPlan, REGION, ROLES, setUp } from './support.js';

/*
 * `verify` proves the client-side layer through the stand-in, run by the built CLI as the
 * principal that runs it: the application role (every check passes), the operator (its direct
 * GenerateDataKey is refused, a failed check) and, after the key policy loses its context
 * condition, the application again (the "without a context refused" check fails).
 */
const standIn = useStandIn();
const KMS_STAR: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllKms', Effect: 'Allow', Action: 'kms:*', Resource: '*' }],
};
const WITHOUT_CONTEXT = 'GenerateDataKey without a context refused';

let home = '';
beforeAll(() => {
  ensureBuilt();
  home = mkdtempSync(join(tmpdir(), 'ceb-client-verify-'));
});

async function verify(
  as: Credentials,
  args: string[],
): Promise<{ code: number; report: VerificationReport }> {
  const run = await runProgramAsync(
    'node',
    [BUILT_BIN, 'verify', '--bucket', BUCKET, '--region', REGION, '--json', ...args],
    { cwd: home, env: strangerEnv(home, standIn.envAs(as)) },
  );
  const json = run.stdout.slice(run.stdout.indexOf('{\n'));
  return { code: run.code ?? -1, report: JSON.parse(json) as VerificationReport };
}

const row = (report: VerificationReport, check: string) => report.checks.find((each) => each.check === check);

describe('client-kms', () => {
  let keyArn = '';
  beforeEach(async () => {
    await createRoles(standIn, [
      { name: ROLES.app },
      // The threat model: an operator may hold far more than its own policy in IAM.
      { name: ROLES.operator, managed: ['AmazonS3FullAccess'], inline: KMS_STAR },
      { name: ROLES.auditor },
    ]);
    keyArn = (await setUp(standIn, clientPlan('client-kms'))) ?? '';
    // setUp leaves out rotation (no round trip sees it); verify reads it back.
    const { kms } = await clientsAs(standIn, adminCredentials(standIn));
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyArn }));
  });

  it('as the application role: the direct KMS checks and the bucket layer all pass', async () => {
    const { code, report } = await verify(await standIn.assumeRole(ROLES.app), [
      '--scheme',
      'client-kms',
      '--key',
      keyArn,
    ]);
    expect(report.checks.filter((each) => !each.ok)).toEqual([]);
    expect(code).toBe(0);
    const names = report.checks.map((each) => each.check);
    expect(names).toEqual(
      expect.arrayContaining([
        CLIENT_KMS_CHECKS.generate,
        WITHOUT_CONTEXT,
        "GenerateDataKey with another bucket's context refused",
        'GenerateDataKey with an extra context entry refused',
        CLIENT_KMS_CHECKS.decrypt,
        CLIENT_KMS_CHECKS.decryptWithout,
        // The bucket layer stays.
        'upload with aws:kms + this key accepted',
        'AES256 upload refused',
        'bucket default encryption',
      ]),
    );
    expect(row(report, WITHOUT_CONTEXT)?.detail).toMatch(/^AccessDeniedException \(HTTP 400/);
  }, 60_000);

  it('as the operator (--verify-role): its direct GenerateDataKey is refused, a failed check', async () => {
    const { code, report } = await verify(adminCredentials(standIn), [
      '--scheme',
      'client-kms',
      '--key',
      keyArn,
      '--verify-role',
      ROLES.operator,
    ]);
    expect(code).toBe(1);
    expect(row(report, CLIENT_KMS_CHECKS.generate)).toMatchObject({ ok: false });
    expect(row(report, CLIENT_KMS_CHECKS.generate)?.detail).toMatch(/AccessDeniedException/);
    // Refused everywhere proves nothing about the context condition.
    expect(row(report, WITHOUT_CONTEXT)).toMatchObject({ ok: false });
    expect(row(report, WITHOUT_CONTEXT)?.detail).toMatch(/proves nothing/);
  }, 60_000);

  it('a key policy without the context condition fails "without a context refused"', async () => {
    const policy = clientPlan('client-kms').documents.keyPolicy as PolicyDocument;
    const loosened: PolicyStatement[] = policy.Statement.filter(
      (each) => !each.Sid?.startsWith('DenyApplicationDataKeys'),
    ).map((each) =>
      each.Sid === 'AllowApplicationsClientSideDataKeys' ? { ...each, Condition: undefined } : each,
    ) as PolicyStatement[];
    const { kms } = await clientsAs(standIn, adminCredentials(standIn));
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: keyArn,
        PolicyName: 'default',
        Policy: JSON.stringify({ ...policy, Statement: loosened }),
      }),
    );
    const { code, report } = await verify(await standIn.assumeRole(ROLES.app), [
      '--scheme',
      'client-kms',
      '--key',
      keyArn,
    ]);
    expect(code).toBe(1);
    expect(row(report, CLIENT_KMS_CHECKS.generate)).toMatchObject({ ok: true });
    expect(row(report, WITHOUT_CONTEXT)).toMatchObject({ ok: false });
    expect(row(report, CLIENT_KMS_CHECKS.decryptWithout)).toMatchObject({ ok: false });
  }, 60_000);
});

describe('client-app-key', () => {
  it('names the round trip the application must run, as a not-run row', async () => {
    await createRoles(standIn, [{ name: ROLES.app }, { name: ROLES.operator }, { name: ROLES.auditor }]);
    await setUp(standIn, clientPlan('client-app-key'));
    const { code, report } = await verify(await standIn.assumeRole(ROLES.app), [
      '--scheme',
      'client-app-key',
    ]);
    expect(code).toBe(0);
    const clientSide = row(report, CLIENT_APP_KEY_CHECK);
    expect(clientSide).toMatchObject({ ok: true, notRun: true });
    expect(clientSide?.detail).toContain('client/README.md');
    expect(clientSide?.detail).toContain(CLIENT_APP_KEY_ROUND_TRIP);
    expect(report.checks.find((each) => each.check === 'upload with AES256 accepted')?.ok).toBe(true);
  }, 60_000);
});
