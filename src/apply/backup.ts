import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plan } from '../types.js';
import type { PlannedStep } from './diff.js';
import type { AccountState } from './state.js';

/**
 * The state every changing step is about to overwrite, as it was read. `null` means "there was
 * none" (the step creates it). Policies are kept as the exact text AWS returned (IAM's
 * decoded), so restoring is one put of that text.
 */
export interface Backup {
  tool: 'create-encrypted-bucket';
  createdAt: string;
  accountId: string;
  region: string;
  bucket: string;
  keyArn: string | null;
  /** Step id -> what was there before. */
  previous: Record<string, unknown>;
  /** What is about to happen, for the reader of this file. */
  changes: { step: string; status: string; details: string[] }[];
}

export function buildBackup(plan: Plan, state: AccountState, planned: PlannedStep[], now: Date): Backup {
  const { bucket, key } = state;
  const existing = bucket.status === 'exists' ? bucket : undefined;
  const previous: Record<string, unknown> = {};
  const changing = planned.filter((entry) => entry.diff.status !== 'in-place');
  for (const { step, diff } of changing) {
    switch (step.kind) {
      case 's3.putBucketPolicy':
        previous[diff.step] = existing?.policy?.text ?? null;
        break;
      case 's3.putBucketEncryption':
        previous[diff.step] = existing?.encryption ?? null;
        break;
      case 's3.putPublicAccessBlock':
        previous[diff.step] = existing?.publicAccessBlock ?? null;
        break;
      case 'kms.putKeyPolicy':
        previous[diff.step] = key?.policy?.text ?? null;
        break;
      case 'kms.enableRotation':
        previous[diff.step] = key?.rotation ?? null;
        break;
      case 'iam.putRolePolicy': {
        const role = state.roles.find((candidate) => candidate.role.name === step.role.name);
        previous[diff.step] = {
          role: step.role.name,
          policyName: step.policyName,
          document: role?.policy?.text ?? null,
        };
        break;
      }
      default:
        previous[diff.step] = null;
    }
  }
  return {
    tool: 'create-encrypted-bucket',
    createdAt: now.toISOString(),
    accountId: plan.config.accountId,
    region: plan.config.region,
    bucket: plan.config.bucket,
    keyArn: key?.arn ?? null,
    previous,
    changes: changing.map(({ diff }) => ({ step: diff.step, status: diff.status, details: diff.details })),
  };
}

/**
 * Writes the backup to a new file (never over an older backup) readable by its owner only,
 * and returns its path. This is the only file apply writes.
 */
export async function writeBackup(dir: string, backup: Backup): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = backup.createdAt.replace(/[:.]/g, '-');
  const base = `create-encrypted-bucket-backup-${backup.bucket}-${stamp}`;
  const text = `${JSON.stringify(backup, null, 2)}\n`;
  for (let attempt = 1; ; attempt += 1) {
    const path = join(dir, attempt === 1 ? `${base}.json` : `${base}-${attempt}.json`);
    try {
      await writeFile(path, text, { flag: 'wx', mode: 0o600 });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
    }
  }
}
