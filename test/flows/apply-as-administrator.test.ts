import { describe, expect, it } from 'vitest';
import { createRoles } from '../standin/accounts.js';
import { BUCKET, keyArnOf, REGION, ROLES, SETUP_FLAGS, useFlows } from './support.js';

/*
 * apply as it runs in real life: an account administrator (AdministratorAccess) whose
 * credentials are the default ones, under the stand-in's authorization. The administrator may
 * build the setup but, by design, may not use the key: verification must show that as the
 * separation holding, not as a failure.
 */
const flows = useFlows('ceb-flow-apply-');

async function seedRoles() {
  await createRoles(
    flows.standIn,
    Object.values(ROLES).map((name) => ({ name })),
  );
}

describe('apply as the account administrator, through the stand-in', () => {
  it('builds the setup, proves what an administrator can, marks the rest not run, exits 0; a re-run writes nothing', async () => {
    await seedRoles();
    const first = await flows.cli([...SETUP_FLAGS, '--apply', '--yes', '--json']);
    expect(first.stderr).toContain('separation holds');
    expect(first.stderr).toMatch(
      /SKIP\s+upload with aws:kms \+ this key accepted\s+not run: needs an application role/,
    );
    expect(first.stderr).toContain(`--verify-role ${ROLES.app}`);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result.actions.length).toBeGreaterThan(5);
    const checks = result.verification.checks as { check: string; ok: boolean; notRun?: boolean }[];
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    expect(checks.find((check) => check.check.startsWith('key refused'))?.ok).toBe(true);
    expect(
      checks.filter((check) => check.check.endsWith('refused') && check.ok).length,
    ).toBeGreaterThanOrEqual(3);

    const again = await flows.cli([...SETUP_FLAGS, '--apply', '--yes', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).actions).toEqual([]);
  });

  it('with --verify-role runs the compliant upload as the application role, and every check passes', async () => {
    await seedRoles();
    const run = await flows.cli([...SETUP_FLAGS, '--apply', '--yes', '--json', '--verify-role', ROLES.app]);
    expect(run.code, run.stderr).toBe(0);
    const checks = JSON.parse(run.stdout).verification.checks as {
      check: string;
      ok: boolean;
      notRun?: boolean;
    }[];
    expect(checks.filter((check) => check.notRun)).toEqual([]);
    expect(checks.every((check) => check.ok)).toBe(true);
    expect(checks.map((check) => check.check)).toEqual(
      expect.arrayContaining(['object: encryption', 'object: KMS key', 'object: bucket key']),
    );
  });

  it('the same verification as an application role passes every check, HeadObject included', async () => {
    await seedRoles();
    const applied = await flows.cli([...SETUP_FLAGS, '--apply', '--yes', '--json', '--no-verify']);
    expect(applied.code, applied.stderr).toBe(0);
    const keyArn = keyArnOf(applied);
    const app = await flows.standIn.assumeRole(ROLES.app);
    const run = await flows.cli(
      ['verify', '--bucket', BUCKET, '--region', REGION, '--key', keyArn, '--json'],
      { as: app },
    );
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(true);
    expect(
      report.checks.find((check: { check: string }) => check.check === 'object: KMS key').detail,
    ).toContain(keyArn);
  });

  it('over plain HTTP every flow is refused: apply stops, verify fails', async () => {
    await seedRoles();
    const applied = await flows.cli([...SETUP_FLAGS, '--apply', '--yes', '--json', '--no-verify']);
    expect(applied.code, applied.stderr).toBe(0);
    const keyArn = keyArnOf(applied);
    const app = await flows.standIn.assumeRole(ROLES.app);
    const plain = flows.standIn.httpEndpoint;
    const verify = await flows.cli(['verify', '--bucket', BUCKET, '--region', REGION, '--key', keyArn], {
      as: app,
      endpoint: plain,
    });
    expect(verify.code).toBe(1);
    expect(verify.stdout + verify.stderr, verify.stderr).toMatch(/explicit deny in a resource-based policy/);
    const again = await flows.cli([...SETUP_FLAGS, '--apply', '--yes'], { endpoint: plain });
    // HeadBucket is refused (a HEAD answer has no body), so apply stops before any write.
    expect(again.stderr).toMatch(/Apply refused before writing anything/);
    expect(again.code).toBe(2);
  });
});
