import { ENCRYPTION_CLASSES, ENCRYPTION_LABELS } from './classify.js';
import type { NoncurrentReport } from './scan-versions.js';
import { formatBytes, formatCount } from './units.js';

/** The scan's section on noncurrent versions: what default encryption and a plain run leave behind. */
export function formatNoncurrentSection(
  report: NoncurrentReport,
  table: (header: string[], rows: string[][]) => string[],
): string[] {
  switch (report.kind) {
    case 'not-versioned':
      return ['Versioning has never been enabled: there are no noncurrent versions.'];
    case 'unknown':
      return [
        `Noncurrent versions: not scanned. S3 refused GetBucketVersioning; run the scan as a role with ${report.permission} to count them.`,
      ];
    case 'scanned': {
      if (report.listed.count === 0)
        return [`Versioning is ${report.versioning}; there are no noncurrent versions.`];
      const approx = report.sampled ? '~' : '';
      const rows = ENCRYPTION_CLASSES.filter((name) => report.classes[name].count > 0).map((name) => [
        ENCRYPTION_LABELS[name],
        `${approx}${formatCount(report.classes[name].count)}`,
        `${approx}${formatBytes(report.classes[name].bytes)}`,
      ]);
      const lines = [
        `Noncurrent versions (versioning ${report.versioning}): ${formatCount(report.listed.count)} versions, ${formatBytes(report.listed.bytes)}${report.sampled ? `; HeadObject on a random sample of ${formatCount(report.inspected)}, so counts per encryption are ESTIMATES (~)` : ''}.`,
        ...table(['encryption', 'versions', 'size'], rows),
      ];
      if (report.permission)
        lines.push(
          `S3 refused HeadObject on some versions, so their encryption is unknown: the caller needs ${report.permission}. Run the scan as the re-encryption role.`,
        );
      const needs = report.needsReencryption;
      if (needs.count > 0) {
        const unencrypted = report.classes.none.count;
        lines.push(
          `${approx}${formatCount(needs.count)} noncurrent versions keep their old encryption: a plain reencrypt moves current versions only. \`reencrypt --all-versions\` moves SSE-S3 and SSE-KMS versions with UpdateObjectEncryption (VersionId).${unencrypted > 0 ? ` The ${approx}${formatCount(unencrypted)} unencrypted ones cannot be changed in place (a copy makes a new current version) and this tool never deletes a version: a lifecycle rule with NoncurrentVersionExpiration removes them.` : ''}`,
        );
      }
      return lines;
    }
  }
}
