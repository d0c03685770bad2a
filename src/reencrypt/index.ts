export type { BatchJob, BatchJobsResult } from './batch/run-batch-jobs.js';
export { type CheckpointData, defaultCheckpointPath } from './checkpoint.js';
export { DEFAULT_BATCH_THRESHOLD, DEFAULT_REENCRYPT_CONCURRENCY } from './defaults.js';
export { formatReencryptReport } from './format-report.js';
export {
  formatReencryptProgress,
  formatScanProgress,
  type ProgressReporter,
  progressReporter,
} from './progress.js';
export { reencryptBucket, retryCommand } from './reencrypt-bucket.js';
export { createS3ControlClient } from './s3-control-client.js';
export type {
  ObjectAction,
  ObjectOutcome,
  ReencryptClients,
  ReencryptMethod,
  ReencryptOptions,
  ReencryptProgress,
  ReencryptReport,
  SkipReason,
} from './types.js';
