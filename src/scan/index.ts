export {
  ARCHIVED_STORAGE_CLASSES,
  classifyHead,
  ENCRYPTION_CLASSES,
  ENCRYPTION_LABELS,
  type EncryptionClass,
  isArchived,
  NEEDS_REENCRYPTION,
  sameKey,
} from './classify.js';
export { formatScanReport } from './format-scan-report.js';
export {
  type ClassTotals,
  DEFAULT_SAMPLE_SIZE,
  DEFAULT_SCAN_CONCURRENCY,
  type ScanOptions,
  type ScanProgress,
  type ScanReport,
  scanBucket,
} from './scan-bucket.js';
