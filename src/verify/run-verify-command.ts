import type { VerificationReport } from '../apply/contract.js';
import type { AwsClients } from '../aws/clients.js';
import type { Ui } from '../ui/ui.js';
import { formatVerificationTable } from './format-verification-table.js';
import { verifySetup } from './verify-setup.js';
import type { VerifyTarget } from './verify-target.js';

/** `create-encrypted-bucket verify`: runs the checks, prints the table; the caller maps ok=false to exit 1. */
export async function runVerifyCommand(
  target: VerifyTarget,
  clients: AwsClients,
  ui: Ui,
  applicationClients?: AwsClients,
): Promise<VerificationReport> {
  const report = await verifySetup(target, clients, ui, applicationClients);
  const where =
    target.object === undefined ? `s3://${target.bucket}` : `s3://${target.bucket}/${target.object}`;
  ui.note(formatVerificationTable(report), `Verification of ${where}`);
  const skipped = report.checks.filter((check) => check.notRun).length;
  if (report.ok && skipped > 0) {
    // A SKIP row needs an application role, or (client-app-key) the application's own round trip.
    ui.success(
      `The setup holds for every check that ran; ${skipped === 1 ? 'one was' : `${skipped} were`} not run from here (SKIP above says how to run ${skipped === 1 ? 'it' : 'them'}).`,
    );
  } else if (report.ok) ui.success('The setup holds: every check passed.');
  else ui.error('The setup does not hold: see the FAIL rows above.');
  return report;
}
