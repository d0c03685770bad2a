import type { Scheme } from '../types.js';
import { ENCRYPTION_CLASSES, ENCRYPTION_LABELS } from './classify.js';
import { formatNoncurrentSection } from './format-noncurrent.js';
import { movingToScheme } from './moving-to-scheme.js';
import type { ScanReport } from './scan-bucket.js';
import { formatBytes, formatCount, formatDuration } from './units.js';

/**
 * The scan as plain text: what a person needs to decide whether to re-encrypt; with the
 * scheme the bucket moves to, what moving the listed objects to it takes.
 */
export function formatScanReport(report: ScanReport, scheme?: Scheme): string {
  const lines: string[] = [];
  const bound = report.listingComplete ? '' : 'at least ';
  lines.push(
    `Scan of s3://${report.bucket}: ${bound}${formatCount(report.listed.count)} objects, ${bound}${formatBytes(report.listed.bytes)} (${formatDuration(report.durationMs)})`,
  );
  if (report.aborted) lines.push('Stopped before the end: the numbers cover only what was reached.');
  else if (!report.listingComplete)
    lines.push('The listing was cut short at the list limit: totals are lower bounds.');
  if (report.sampled) {
    lines.push(
      `SAMPLE: HeadObject on ${formatCount(report.inspected)} objects chosen at random from the listing; the object and byte counts per encryption are ESTIMATES (~). Run with --full to inspect every object.`,
    );
  }
  if (report.keyArn === undefined) lines.push('No key given: SSE-KMS objects are not told apart by key.');
  lines.push('');

  const approx = report.sampled ? '~' : '';
  const rows = ENCRYPTION_CLASSES.filter((name) => report.classes[name].count > 0).map((name) => {
    const totals = report.estimated?.[name] ?? report.classes[name];
    return [
      ENCRYPTION_LABELS[name],
      `${approx}${formatCount(totals.count)}`,
      `${approx}${formatBytes(totals.bytes)}`,
      report.classes[name].examples.join(', '),
    ];
  });
  lines.push(...table(['encryption', 'objects', 'size', 'examples'], rows));
  if (rows.length === 0) lines.push('  (no objects)');

  lines.push('');
  const needs = report.needsReencryption;
  const unread = report.couldNotRead;
  if (unread.count > 0) {
    lines.push(
      `Could not read ${formatCount(unread.count)} object${unread.count === 1 ? '' : 's'}: HeadObject failed, so the scan cannot say how ${unread.count === 1 ? 'it is' : 'they are'} encrypted.${unread.permission ? ` S3 refused the caller: it needs ${unread.permission} (HeadObject is authorized as s3:GetObject). Run the scan as a role that has it.` : ''}`,
    );
  }
  lines.push(
    needs.count === 0 && unread.count > 0
      ? 'Nothing that could be read needs re-encryption; the objects above are unknown, not done.'
      : needs.count === 0
        ? 'Nothing needs re-encryption.'
        : `Needs re-encryption: ${needs.estimated ? '~' : ''}${formatCount(needs.count)} objects, ${needs.estimated ? '~' : ''}${formatBytes(needs.bytes)} (unencrypted, SSE-S3 or another KMS key).`,
  );
  if (report.archived.count > 0) {
    lines.push(
      `Archived (Glacier, Deep Archive, Intelligent-Tiering archive tiers): ${formatCount(report.archived.count)} objects, ${formatBytes(report.archived.bytes)}, e.g. ${report.archived.examples.join(', ')}. CopyObject cannot read them without a restore; re-encryption skips them unless UpdateObjectEncryption applies.`,
    );
  }
  if (report.classes['sse-c'].count > 0) {
    lines.push('SSE-C objects can only be read with their customer key: re-encryption skips them.');
  }
  if (report.classes['dsse-kms'].count > 0) {
    lines.push(
      'DSSE-KMS objects already have two layers of encryption: re-encryption leaves them as they are.',
    );
  }
  if (report.otherKeys.length > 0) {
    lines.push('Other KMS keys in use (re-encryption needs kms:Decrypt on each):');
    for (const other of report.otherKeys)
      lines.push(`  ${other.keyArn}  ${formatCount(other.count)} objects`);
  }
  if (report.errors.length > 0) {
    lines.push('HeadObject failed for some objects, e.g.:');
    for (const error of report.errors) lines.push(`  ${error.key}: ${error.message}`);
  }
  if (report.noncurrent) lines.push('', ...formatNoncurrentSection(report.noncurrent, table));
  const storage = Object.entries(report.storageClasses).sort((a, b) => b[1].count - a[1].count);
  if (storage.length > 1 || (storage[0] && storage[0][0] !== 'STANDARD')) {
    lines.push(
      `Storage classes: ${storage.map(([name, totals]) => `${name} ${formatCount(totals.count)}`).join(', ')}`,
    );
  }
  if (scheme !== undefined && report.listed.count > 0) lines.push('', movingToScheme(scheme));
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (row: string[]) =>
    `  ${row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        if (column === row.length - 1) return cell;
        return column === 1 || column === 2 ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')}`.trimEnd();
  return [render(header), ...rows.map(render)];
}
