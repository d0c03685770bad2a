import type { VerificationCheck, VerificationReport } from '../apply/contract.js';
import type { AwsClients } from '../aws/clients.js';
import type { Ui } from '../ui/ui.js';
import { readBackChecks } from './read-back-checks.js';
import { discountRefusals, refusalProbes, runProbe } from './refusal-probes.js';
import { checkTestObject, inspectObject, newTestObjectKey } from './test-object.js';
import { assertValidTarget, type VerifyTarget } from './verify-target.js';

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
): Promise<VerificationReport> {
  assertValidTarget(target);
  const spinner = ui?.spinner();
  spinner?.start(`Verifying s3://${target.bucket}`);
  let checks: VerificationCheck[];
  try {
    checks =
      target.object === undefined
        ? await withTestObject(target, clients)
        : await withExistingObject(target, clients, target.object);
  } catch (error) {
    spinner?.error('Verification stopped by an unexpected error');
    throw error;
  }
  const report: VerificationReport = { ok: checks.every((check) => check.ok), checks };
  const failed = checks.filter((check) => !check.ok).length;
  if (report.ok) spinner?.stop(`All ${checks.length} checks passed`);
  else spinner?.error(`${failed} of ${checks.length} checks failed`);
  return report;
}

async function withTestObject(target: VerifyTarget, clients: AwsClients): Promise<VerificationCheck[]> {
  const key = newTestObjectKey();
  const [testObject, probes, readBacks] = await Promise.all([
    checkTestObject(target, clients, key),
    Promise.all(refusalProbes(target).map((probe) => runProbe(target, clients, probe, key))),
    readBackChecks(target, clients),
  ]);
  const refusals = testObject.accepted ? probes.map((probe) => probe.check) : discountRefusals(probes);
  return [...testObject.checks, ...refusals, ...readBacks, testObject.cleanup];
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
