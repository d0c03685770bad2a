import type { IAMClient } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { STSClient } from '@aws-sdk/client-sts';
import type { EncryptionClass } from '../scan/classify.js';
import type { BatchJobsResult } from './batch/run-batch-jobs.js';

/**
 * `auto` uses UpdateObjectEncryption on AWS itself and CopyObject on any custom endpoint
 * (moto answers UpdateObjectEncryption by overwriting the object with the request body).
 */
export type ReencryptMethod = 'auto' | 'update-encryption' | 'copy';

export type ObjectAction = 'update-encryption' | 'copy' | 'multipart-copy';

export type SkipReason =
  | 'already-on-key'
  | 'archived'
  | 'sse-c'
  | 'dsse-kms'
  | 'unsupported-encryption'
  | 'noncurrent-copy-only'
  | 'gone';

export const SKIP_REASONS: Record<SkipReason, string> = {
  'already-on-key': 'already encrypted with this key (not touched)',
  archived: 'archived (Glacier, Deep Archive or an Intelligent-Tiering archive tier): restore it first',
  'sse-c': 'SSE-C: only the holder of the customer key can read it',
  'dsse-kms': 'DSSE-KMS: already dual-layer encrypted; not downgraded to single-layer',
  'unsupported-encryption': 'an encryption this tool does not change (e.g. aws:fsx)',
  'noncurrent-copy-only':
    'noncurrent versions UpdateObjectEncryption cannot take (unencrypted): they stay as they are, since a copy would make a new current version; expire them with a lifecycle rule (NoncurrentVersionExpiration)',
  gone: 'deleted while the run was going',
};

/** What an object was on: UpdateObjectEncryption accepted without a HeadObject says only "SSE-S3 or SSE-KMS". */
export type SourceEncryption = EncryptionClass | 'sse-s3-or-sse-kms';

export type ObjectOutcome =
  | { key: string; status: 'done'; action: ObjectAction; from: SourceEncryption; bytes: number }
  | { key: string; status: 'would-change'; action: ObjectAction; from: SourceEncryption; bytes: number }
  | { key: string; status: 'skipped'; reason: SkipReason; bytes: number }
  | { key: string; status: 'failed'; error: string; bytes: number };

export interface ReencryptProgress {
  phase: 'counting' | 'reencrypting' | 'manifest';
  listed: number;
  /** Objects this run handled (any outcome). */
  processed: number;
  bytes: number;
  done: number;
  skipped: number;
  failed: number;
  /** Objects earlier runs finished (from the checkpoint). */
  finishedBefore: number;
  /** Known after counting; the ETA needs it. */
  expected?: number;
  elapsedMs: number;
}

export interface ReencryptOptions {
  bucket: string;
  /** Full key ARN (an alias or key id would resolve in the caller's account). */
  keyArn: string;
  concurrency?: number;
  dryRun?: boolean;
  checkpointPath: string;
  signal?: AbortSignal;
  onProgress?: (progress: ReencryptProgress) => void;
  /** Every object's outcome as it happens; a dry run lists what would change through it. */
  onObject?: (outcome: ObjectOutcome) => void;
  /** Past this many objects, hand the bucket to S3 Batch Operations instead of looping. */
  batchThreshold?: number;
  /** Go to S3 Batch Operations whatever the size. */
  batchOperations?: boolean;
  method?: ReencryptMethod;
  /** The object count a scan already found: skips counting before choosing loop or batch. */
  expectedObjects?: number;
  /** Objects larger than this are copied in parts (CopyObject's limit is 5 GiB). */
  multipartThreshold?: number;
  partSize?: number;
  /** KMS keys objects are on now (a scan's otherKeys): the batch role may decrypt them. */
  sourceKeyArns?: string[];
  /** Noncurrent versions too, with UpdateObjectEncryption and VersionId; never deleted, never copied. */
  allVersions?: boolean;
  /** Requests per second for the whole run; S3's 3,500 writes per second per prefix by default. */
  requestsPerSecond?: number;
  /** The re-encryption role's ARN: the role Batch Operations jobs run as. */
  roleArn?: string;
}

/** The clients the lead's AwsClients already has, plus S3 Control for Batch Operations. */
export interface ReencryptClients {
  s3: S3Client;
  iam?: IAMClient;
  sts?: STSClient;
  s3control?: S3ControlClient;
}

export interface Tally {
  count: number;
  bytes: number;
}

export interface ReencryptReport {
  bucket: string;
  keyArn: string;
  dryRun: boolean;
  mode: 'loop' | 'batch';
  /**
   * complete: every object handled, none failed (checkpoint removed);
   * incomplete: failures remain, or the run was stopped (checkpoint kept: run the same command again).
   */
  status: 'complete' | 'incomplete';
  aborted: boolean;
  /** Re-encrypted (dry run: would be), with how. */
  done: Tally & {
    byAction: Partial<Record<ObjectAction, number>>;
    from: Partial<Record<SourceEncryption, number>>;
  };
  skipped: Partial<Record<SkipReason, Tally & { examples: string[] }>>;
  failed: { key: string; error: string }[];
  /** Objects earlier runs finished (the totals above include them). */
  finishedBefore: number;
  /** The method actually used last, and whether UpdateObjectEncryption was given up on. */
  method: 'update-encryption' | 'copy';
  notes: string[];
  checkpointPath: string;
  checkpointKept: boolean;
  /** The command that continues or retries only what is left (undefined when nothing is). */
  retryCommand?: string;
  batch?: BatchJobsResult;
  durationMs: number;
}
