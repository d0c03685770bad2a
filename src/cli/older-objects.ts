import type { AwsClients } from '../aws/clients.js';
import { schemeTraits } from '../plan/schemes.js';
import { shellQuote } from '../render/shell-quote.js';
import { formatScanReport } from '../scan/format-scan-report.js';
import { type ScanReport, scanBucket } from '../scan/scan-bucket.js';
import type { Plan } from '../types.js';
import type { Ui } from '../ui/ui.js';

/**
 * After apply (and on a dry run): default encryption protects new objects only, so a sampled
 * scan says how many older objects are not on the key, and the re-encryption is offered as a
 * command. It is not run from here: only application roles may use the key, so it must run
 * with their credentials, which the principal applying the setup usually does not hold.
 */
export async function reportOlderObjects(
  plan: Plan,
  keyArn: string | undefined,
  clients: AwsClients,
  ui: Ui,
): Promise<ScanReport | undefined> {
  const { config } = plan;
  let report: ScanReport;
  try {
    report = await scanBucket({ bucket: config.bucket, ...(keyArn ? { keyArn } : {}) }, clients.s3);
  } catch (error) {
    ui.warn(`Could not scan s3://${config.bucket} for older objects: ${(error as Error).message}`);
    return undefined;
  }
  if (report.needsReencryption.count === 0) return report;
  ui.note(
    formatScanReport(report, config.scheme),
    `Objects in s3://${config.bucket} written before this setup`,
  );
  if (schemeTraits(config.scheme).bucketLayer === 'sse-kms') {
    const command = [
      'npx create-encrypted-bucket reencrypt',
      `--bucket ${shellQuote(config.bucket)}`,
      `--region ${shellQuote(config.region)}`,
      // A dry run has not created the key yet.
      `--key ${keyArn ? shellQuote(keyArn) : 'KEY_ARN'}`,
      '--profile APPLICATION_ROLE_PROFILE',
    ].join(' ');
    ui.info(`To re-encrypt them with the key, run as an application role:\n  ${command}`);
  }
  return report;
}
