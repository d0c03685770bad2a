import { listNoncurrentVersions } from '../scan/list-versions.js';
import { runAdaptivePool } from './adaptive-lanes.js';
import { type ObjectContext, processObject } from './process-object.js';
import type { ObjectOutcome } from './types.js';

export interface VersionsResult {
  done: number;
  /** Still under their old encryption: UpdateObjectEncryption cannot take them, and a copy would make a new current version. */
  stayed: number;
  skipped: number;
  failed: { key: string; versionId: string; error: string }[];
  examples: string[];
}

/**
 * --all-versions: every noncurrent version through UpdateObjectEncryption with its VersionId.
 * Never copied (a copy makes a new current version) and never deleted. Not checkpointed: a
 * re-run goes over them again, and re-wrapping a version already on the key is harmless.
 */
export async function reencryptNoncurrentVersions(
  context: ObjectContext,
  signal?: AbortSignal,
): Promise<VersionsResult & { aborted: boolean }> {
  const result: VersionsResult = { done: 0, stayed: 0, skipped: 0, failed: [], examples: [] };
  const versionContext: ObjectContext = { ...context, noncurrent: true };
  const { stopped } = await runAdaptivePool(
    listNoncurrentVersions(context.s3, context.bucket),
    context.lanes,
    { signal },
    async (version) => {
      const outcome: ObjectOutcome | 'interrupted' = await processObject(versionContext, version);
      if (outcome === 'interrupted') return;
      if (outcome.status === 'done' || outcome.status === 'would-change') result.done += 1;
      else if (outcome.status === 'failed')
        result.failed.push({ key: version.key, versionId: version.versionId, error: outcome.error });
      else if (outcome.reason === 'noncurrent-copy-only') {
        result.stayed += 1;
        if (result.examples.length < 5) result.examples.push(`${version.key} (version ${version.versionId})`);
      } else if (outcome.reason !== 'already-on-key') result.skipped += 1;
      else result.done += 1;
    },
  );
  return { ...result, aborted: stopped };
}

export function versionsNote(bucket: string, versions: VersionsResult): string {
  const lines = [
    `Noncurrent versions: ${versions.done} re-encrypted in place with UpdateObjectEncryption (VersionId; dates and ETags kept).`,
  ];
  if (versions.stayed > 0) {
    lines.push(
      `${versions.stayed} stay under their old encryption (unencrypted, e.g. ${versions.examples.join(', ')}): UpdateObjectEncryption cannot take them, and a copy would make a new current version. Nothing was deleted. To remove them, add a lifecycle rule to ${bucket} with NoncurrentVersionExpiration (e.g. 30 days); S3 then deletes them itself.`,
    );
  }
  if (versions.skipped > 0)
    lines.push(`${versions.skipped} were left as they are (SSE-C, DSSE-KMS or gone).`);
  return lines.join(' ');
}
