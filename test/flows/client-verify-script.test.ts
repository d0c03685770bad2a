import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnableKeyRotationCommand } from '@aws-sdk/client-kms';
import { beforeEach, describe, expect, it } from 'vitest';
import { readTemplates } from '../../src/output/read-templates.js';
import { renderPlan } from '../../src/render/render-plan.js';
import type { PolicyDocument } from '../../src/types.js';
import {
  CLIENT_APP_KEY_CHECK,
  CLIENT_APP_KEY_ROUND_TRIP,
  CLIENT_KMS_CHECKS,
} from '../../src/verify/check-definitions.js';
import { BUCKET, clientPlan, REGION, ROLES, setUp } from '../client/support.js';
import { runProgramAsync } from '../e2e/support/built-cli.js';
import { adminCredentials, clientsAs, createRoles } from '../standin/accounts.js';
import { cliVerdicts, runScript, scriptVerdicts } from './scripts-support.js';
import { useFlows } from './support.js';

/*
 * verify.sh of the client-side schemes through the stand-in, under aws CLI v1 (pip) and v2
 * (Debian's 2.9.19): as the application role it gives the TypeScript verifier's verdicts, row
 * by row, all passing; as the operator the direct GenerateDataKey is refused, a FAIL. The
 * account is set up from the Plan's documents (test/client/support.ts), verify.sh rendered from
 * the same Plan.
 */
const flows = useFlows('ceb-client-verify-sh-');
const KMS_STAR: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllKms', Effect: 'Allow', Action: 'kms:*', Resource: '*' }],
};
const SLOW = 120_000;

async function renderVerifyScript(scheme: 'client-kms' | 'client-app-key'): Promise<string> {
  const file = renderPlan(clientPlan(scheme), await readTemplates()).find(
    (each) => each.path === 'verify.sh',
  );
  if (!file) throw new Error('no verify.sh rendered');
  const dir = join(flows.home, 'out');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'verify.sh'), file.content, { mode: 0o755 });
  // The lint test covers the golden schemes; these two are checked here.
  const lint = await runProgramAsync('shellcheck', ['--severity=style', '--shell=bash', 'verify.sh'], {
    cwd: dir,
  });
  expect(lint.code, lint.stdout).toBe(0);
  return join(dir, 'verify.sh');
}

describe('client-kms verify.sh', () => {
  let keyArn = '';
  beforeEach(async () => {
    await createRoles(flows.standIn, [
      { name: ROLES.app },
      { name: ROLES.operator, managed: ['AmazonS3FullAccess'], inline: KMS_STAR },
      { name: ROLES.auditor },
    ]);
    keyArn = (await setUp(flows.standIn, clientPlan('client-kms'))) ?? '';
    const { kms } = await clientsAs(flows.standIn, adminCredentials(flows.standIn));
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyArn }));
  });

  it(
    "as the application role, aws CLI v1 and v2: the TypeScript verifier's verdicts, all PASS; as the operator the direct GenerateDataKey FAILs",
    async () => {
      const script = await renderVerifyScript('client-kms');
      const app = await flows.standIn.assumeRole(ROLES.app);
      const typescript = await flows.cli(
        [
          'verify',
          '--scheme',
          'client-kms',
          '--bucket',
          BUCKET,
          '--region',
          REGION,
          '--key',
          keyArn,
          '--json',
        ],
        { as: app },
      );
      expect(typescript.code, typescript.stderr).toBe(0);
      for (const cli of ['v1', 'v2'] as const) {
        const before = flows.standIn.decisions.length;
        const run = await runScript(flows, script, { cli, as: app });
        expect(run.code, `${cli}:\n${run.stdout}${run.stderr}`).toBe(0);
        const verdicts = scriptVerdicts(run.stdout);
        expect(verdicts, cli).toEqual(cliVerdicts(typescript));
        expect(verdicts.map(([check]) => check)).toEqual(
          expect.arrayContaining([
            CLIENT_KMS_CHECKS.generate,
            'GenerateDataKey without a context refused',
            CLIENT_KMS_CHECKS.decryptWithout,
          ]),
        );
        expect(run.stdout, cli).toMatch(
          /^PASS {2}GenerateDataKey without a context refused +An error occurred \(AccessDeniedException\).*\(HTTP 400\)$/m,
        );
        // What KMS was asked directly (not through S3), as the stand-in decided it, in order.
        const direct = flows.standIn.decisions
          .slice(before)
          .filter(
            (each) => each.action.startsWith('kms:') && each.request.context['kms:ViaService'] === undefined,
          )
          .filter((each) => ['kms:GenerateDataKey', 'kms:Decrypt'].includes(each.action))
          .map((each) => [
            each.action,
            each.verdict,
            Object.fromEntries(
              Object.entries(each.request.context).filter(([name]) =>
                name.startsWith('kms:EncryptionContext:'),
              ),
            ),
          ]);
        const objectKey = expect.stringMatching(/^\.create-encrypted-bucket\/verify-/);
        const own = { 'kms:EncryptionContext:bucket': BUCKET, 'kms:EncryptionContext:object-key': objectKey };
        expect(direct, cli).toEqual([
          ['kms:GenerateDataKey', 'Allowed', own],
          ['kms:GenerateDataKey', expect.stringMatching(/Denied/), {}],
          [
            'kms:GenerateDataKey',
            expect.stringMatching(/Denied/),
            { ...own, 'kms:EncryptionContext:bucket': `${BUCKET}-other` },
          ],
          [
            'kms:GenerateDataKey',
            expect.stringMatching(/Denied/),
            { ...own, 'kms:EncryptionContext:purpose': 'create-encrypted-bucket-verify' },
          ],
          ['kms:Decrypt', 'Allowed', own],
          ['kms:Decrypt', expect.stringMatching(/Denied/), {}],
        ]);
      }
      const operator = await runScript(flows, script, {
        cli: 'v1',
        as: await flows.standIn.assumeRole(ROLES.operator),
      });
      expect(operator.code, operator.stdout).toBe(1);
      expect(scriptVerdicts(operator.stdout)).toEqual(
        expect.arrayContaining([
          [CLIENT_KMS_CHECKS.generate, 'FAIL'],
          ['GenerateDataKey without a context refused', 'FAIL'],
        ]),
      );
    },
    SLOW,
  );
});

describe('client-app-key verify.sh', () => {
  it('names the round trip as a SKIP row and passes on the bucket layer', async () => {
    await createRoles(
      flows.standIn,
      Object.values(ROLES).map((name) => ({ name })),
    );
    await setUp(flows.standIn, clientPlan('client-app-key'));
    const script = await renderVerifyScript('client-app-key');
    const run = await runScript(flows, script, { cli: 'v1', as: await flows.standIn.assumeRole(ROLES.app) });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(scriptVerdicts(run.stdout)).toContainEqual([CLIENT_APP_KEY_CHECK, 'SKIP']);
    expect(run.stdout).toContain(CLIENT_APP_KEY_ROUND_TRIP);
    expect(run.stdout).toContain('client/README.md');
  }, 60_000);
});
