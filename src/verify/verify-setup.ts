import type { VerificationCheck, VerificationReport } from '../apply/contract.js';
import type { AwsClients } from '../aws/clients.js';
import type { Ui } from '../ui/ui.js';
import { administratorUpload } from './administrator-upload.js';
import { notRun } from './checks.js';
import { clientSideChecks, clientSideNotRun } from './client-side-checks.js';
import { readBackChecks } from './read-back-checks.js';
import { discountRefusals, refusalProbes, runProbe } from './refusal-probes.js';
import { checkTestObject, inspectObject, newTestObjectKey, uploadCheckName } from './test-object.js';
import { assertValidTarget, layerOf, type VerifyTarget } from './verify-target.js';

export { formatVerificationTable } from './format-verification-table.js';
export type { VerifyTarget } from './verify-target.js';

/**
 * Proves a setup the way a client meets it: without `object`, uploads a test object as a
 * compliant client would, inspects it, checks that wrong-encryption uploads are refused and
 * deletes what it wrote; with `object`, inspects that object only. Both read the key's rotation,
 * the bucket's default encryption and its public-access block back. AWS errors become failed
 * rows; only bad input (ConfigError) throws.
 */
export async function verifySetup(
  target: VerifyTarget,
  clients: AwsClients,
  ui?: Ui,
  /** An application role's clients (--verify-role), for the compliant upload. */
  applicationClients?: AwsClients,
): Promise<VerificationReport> {
  assertValidTarget(target);
  const spinner = ui?.spinner();
  spinner?.start(`Verifying s3://${target.bucket}`);
  let checks: VerificationCheck[];
  try {
    checks =
      target.object !== undefined
        ? await withExistingObject(target, applicationClients ?? clients, target.object)
        : checksFromAdministratorSeat(target, applicationClients)
          ? await fromAdministratorSeat(target, clients, applicationClients)
          : await withTestObject(target, applicationClients ?? clients);
  } catch (error) {
    spinner?.error('Verification stopped by an unexpected error');
    throw error;
  }
  const report: VerificationReport = { ok: checks.every((check) => check.ok), checks };
  const failed = checks.filter((check) => !check.ok).length;
  const ran = checks.filter((check) => !check.notRun).length;
  if (report.ok) spinner?.stop(`All ${ran} checks that ran passed`);
  else spinner?.error(`${failed} of ${ran} checks failed`);
  return report;
}

async function withTestObject(target: VerifyTarget, clients: AwsClients): Promise<VerificationCheck[]> {
  const key = newTestObjectKey();
  const [testObject, probes, readBacks, clientSide] = await Promise.all([
    checkTestObject(target, clients, key),
    Promise.all(refusalProbes(target).map((probe) => runProbe(target, clients, probe, key))),
    readBackChecks(target, clients),
    clientSideChecks(target, clients, key),
  ]);
  const refusals = testObject.accepted ? probes.map((probe) => probe.check) : discountRefusals(probes);
  return [...testObject.checks, ...refusals, ...clientSide, ...readBacks, testObject.cleanup];
}

/** The caller is not an application role, or an application role's clients were given. */
function checksFromAdministratorSeat(
  target: VerifyTarget,
  applicationClients: AwsClients | undefined,
): boolean {
  if (layerOf(target) !== 'sse-kms') return false;
  return target.seat === 'administrator' || applicationClients !== undefined;
}

/**
 * From the administrator's seat: the refusals the bucket policy makes before KMS is involved,
 * the administrator's own use of the key refused by KMS, and the compliant upload as an
 * application role when its clients are given (else marked not run, with the command).
 */
async function fromAdministratorSeat(
  target: VerifyTarget,
  clients: AwsClients,
  applicationClients: AwsClients | undefined,
): Promise<VerificationCheck[]> {
  const key = newTestObjectKey();
  const command =
    target.applicationCommand ?? 'create-encrypted-bucket verify --verify-role <application role>';
  const [ownUpload, probes, readBacks, application, clientSide] = await Promise.all([
    administratorUpload(target, clients, `${key}-administrator`),
    Promise.all(refusalProbes(target).map((probe) => runProbe(target, clients, probe, key))),
    readBackChecks(target, clients),
    applicationClients ? checkTestObject(target, applicationClients, key) : undefined,
    applicationClients
      ? clientSideChecks(target, applicationClients, key)
      : clientSideNotRun(target, command),
  ]);
  const refusals = ownUpload.passedBucketPolicy
    ? probes.map((probe) => probe.check)
    : discountRefusals(probes);
  const applicationRows = application
    ? [...application.checks, application.cleanup]
    : [notRun(uploadCheckName(target), `not run: needs an application role's credentials; run: ${command}`)];
  return [ownUpload.check, ...refusals, ...applicationRows, ...clientSide, ...readBacks];
}

async function withExistingObject(
  target: VerifyTarget,
  clients: AwsClients,
  object: string,
): Promise<VerificationCheck[]> {
  const [objectRows, readBacks] = await Promise.all([
    inspectObject(target, clients, object, `s3://${target.bucket}/${object}`),
    readBackChecks(target, clients),
  ]);
  return [...objectRows, ...readBacks];
}
