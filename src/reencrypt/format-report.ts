import { ENCRYPTION_LABELS, type EncryptionClass } from '../scan/classify.js';
import { formatBytes, formatCount, formatDuration } from '../scan/units.js';
import type { BatchJobsResult } from './batch/run-batch-jobs.js';
import { type ObjectAction, type ReencryptReport, SKIP_REASONS, type SkipReason } from './types.js';

const ACTIONS: Record<ObjectAction, string> = {
  'update-encryption': 'UpdateObjectEncryption (no data moved)',
  copy: 'CopyObject in place',
  'multipart-copy': 'multipart copy in place (over 5 GiB)',
};

const MAX_FAILURES_SHOWN = 20;

const sourceLabel = (name: string) =>
  name === 'sse-s3-or-sse-kms'
    ? 'SSE-S3 or SSE-KMS (not inspected: UpdateObjectEncryption took it)'
    : ENCRYPTION_LABELS[name as EncryptionClass];

/** The final report as plain text: done, skipped with reasons, failed with errors, what next. */
export function formatReencryptReport(report: ReencryptReport): string {
  if (report.mode === 'batch') return formatBatch(report);
  const lines: string[] = [];
  const verb = report.dryRun ? 'Would re-encrypt' : 'Re-encrypted';
  lines.push(
    `${report.dryRun ? 'Dry run of re-encryption' : 'Re-encryption'} of s3://${report.bucket} with ${report.keyArn} (${formatDuration(report.durationMs)})`,
  );
  if (report.finishedBefore > 0) {
    lines.push(
      `Continued from the checkpoint: ${formatCount(report.finishedBefore)} objects were handled by earlier runs (included below).`,
    );
  }
  if (report.aborted)
    lines.push('Stopped before the end; in-flight requests were finished and the checkpoint saved.');
  lines.push(`${verb}: ${formatCount(report.done.count)} objects, ${formatBytes(report.done.bytes)}`);
  for (const [action, count] of Object.entries(report.done.byAction)) {
    lines.push(`  ${formatCount(count)} by ${ACTIONS[action as ObjectAction]}`);
  }
  const from = Object.entries(report.done.from)
    .map(([name, count]) => `${sourceLabel(name)} ${formatCount(count)}`)
    .join(', ');
  if (from) lines.push(`  were: ${from}`);
  const skipped = Object.entries(report.skipped) as [
    SkipReason,
    { count: number; bytes: number; examples: string[] },
  ][];
  const skippedCount = skipped.reduce((sum, [, tally]) => sum + tally.count, 0);
  lines.push(`Skipped: ${formatCount(skippedCount)} objects`);
  for (const [reason, tally] of skipped) {
    lines.push(`  ${formatCount(tally.count)} ${SKIP_REASONS[reason]}; e.g. ${tally.examples.join(', ')}`);
  }
  lines.push(`Failed: ${formatCount(report.failed.length)} objects`);
  for (const failure of report.failed.slice(0, MAX_FAILURES_SHOWN))
    lines.push(`  ${failure.key}: ${failure.error}`);
  if (report.failed.length > MAX_FAILURES_SHOWN) {
    lines.push(
      `  ... and ${formatCount(report.failed.length - MAX_FAILURES_SHOWN)} more, listed in ${report.checkpointPath}`,
    );
  }
  for (const note of report.notes) lines.push(`Note: ${note}`);
  if (report.retryCommand) {
    lines.push(
      report.aborted
        ? 'To continue where it stopped (finished objects are not copied again):'
        : 'To retry only the failures (the checkpoint lists them):',
    );
    lines.push(`  ${report.retryCommand}`);
  } else if (!report.dryRun) lines.push('Every object is on the key; the checkpoint file was removed.');
  return lines.join('\n');
}

function formatBatch(report: ReencryptReport): string {
  const lines = [
    `s3://${report.bucket} goes to S3 Batch Operations, over manifests S3 generates itself (nothing listed from here).`,
  ];
  const batch: BatchJobsResult | undefined = report.batch;
  if (batch) {
    lines.push(`Jobs run as: ${batch.roleArn}`);
    for (const job of batch.jobs) {
      const what =
        job.kind.operation === 'update-encryption'
          ? 'UpdateObjectEncryption of every SSE-S3 and SSE-KMS object (no data moved; archived ones too)'
          : `copy of unencrypted ${job.kind.storageClass} objects onto the key`;
      lines.push(`  ${what}${job.jobId ? `: job ${job.jobId}` : batch.dryRun ? ' (would be created)' : ''}`);
    }
    lines.push(
      '  left as they are: DSSE-KMS objects (already two layers), SSE-C objects (only their key holder can read them)',
    );
    if (!batch.dryRun && batch.jobs.length > 0) {
      lines.push(
        'Each job waits for your confirmation (ConfirmationRequired). Review it in the S3 console, or start it with:',
      );
      for (const command of batch.confirmCommands) lines.push(`  ${command}`);
      lines.push(
        'A copy job whose manifest is empty (no unencrypted objects in that storage class) completes with 0 tasks. Follow a job with `reencrypt --job ID`: its status, then what was done, what failed and why.',
      );
    }
  }
  for (const note of report.notes) lines.push(`Note: ${note}`);
  return lines.join('\n');
}
