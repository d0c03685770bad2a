import type { S3Client } from '@aws-sdk/client-s3';
import {
  classifyHead,
  ENCRYPTION_CLASSES,
  type EncryptionClass,
  isArchived,
  NEEDS_REENCRYPTION,
} from './classify.js';
import { headObject } from './head-object.js';
import { type ListedObject, listObjects } from './list-objects.js';
import { runPool } from './pool.js';
import { estimateFromSample, keepInSample } from './sample.js';
import { type NoncurrentReport, scanNoncurrentVersions } from './scan-versions.js';
import { throttled } from './throttle.js';

export const DEFAULT_SAMPLE_SIZE = 1_000;
export const DEFAULT_SCAN_CONCURRENCY = 32;
/** A sampled scan still counts the whole listing, up to this many objects (10,000 LIST calls). */
export const DEFAULT_LIST_LIMIT = 10_000_000;
const EXAMPLES = 5;

export interface ScanProgress {
  phase: 'listing' | 'inspecting';
  listed: number;
  listedBytes: number;
  inspected: number;
  /** Known once the objects to inspect are chosen (sampled scans). */
  toInspect?: number;
  elapsedMs: number;
}

export interface ScanOptions {
  bucket: string;
  /** The key objects should be on; without it SSE-KMS objects are not told apart by key. */
  keyArn?: string;
  /** HeadObject every object instead of a sample. */
  full?: boolean;
  sampleSize?: number;
  concurrency?: number;
  /** Sampled scans stop listing here and report lower bounds. */
  listLimit?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  /** Injected by tests for a repeatable sample. */
  random?: () => number;
  /** Also report noncurrent versions by encryption (default: yes, when the bucket is versioned). */
  versions?: boolean;
}

export interface Totals {
  count: number;
  bytes: number;
}

export interface ClassTotals extends Totals {
  examples: string[];
}

export interface ScanReport {
  bucket: string;
  keyArn?: string;
  /** True when only a random sample was inspected: `classes` count the sample, `estimated` the bucket. */
  sampled: boolean;
  /** False when listing stopped early (limit or abort): every total is a lower bound. */
  listingComplete: boolean;
  aborted: boolean;
  /** Every listed object, exact (ListObjectsV2 gives count and size without HeadObject). */
  listed: Totals;
  inspected: number;
  /** Per encryption class, among the inspected objects. */
  classes: Record<EncryptionClass, ClassTotals>;
  /** Sampled scans: the sample's shares applied to the listing's totals. */
  estimated?: Record<EncryptionClass, Totals>;
  /** From the listing, exact. */
  storageClasses: Record<string, Totals>;
  /** Glacier / Deep Archive from the listing, plus Intelligent-Tiering archive tiers HeadObject saw. */
  archived: ClassTotals;
  /** Other KMS keys objects are on, most used first: the re-encryption needs kms:Decrypt on each. */
  otherKeys: { keyArn: string; count: number }[];
  errors: { key: string; message: string }[];
  /**
   * HeadObject failed for these objects, so the scan cannot say how they are encrypted: not
   * "nothing to do". `permission` names what the caller lacks when S3 refused it.
   */
  couldNotRead: { count: number; permission?: string };
  /** none + SSE-S3 + other keys (estimated when sampled). */
  needsReencryption: Totals & { estimated: boolean };
  /** Absent when not asked for (`versions: false`) or the scan was stopped. */
  noncurrent?: NoncurrentReport;
  durationMs: number;
}

function emptyClasses(): Record<EncryptionClass, ClassTotals> {
  const empty = (): ClassTotals => ({ count: 0, bytes: 0, examples: [] });
  return Object.fromEntries(ENCRYPTION_CLASSES.map((name) => [name, empty()])) as Record<
    EncryptionClass,
    ClassTotals
  >;
}

function add(totals: ClassTotals, key: string, size: number): void {
  totals.count += 1;
  totals.bytes += size;
  if (totals.examples.length < EXAMPLES) totals.examples.push(key);
}

/**
 * Reports how a bucket's objects are encrypted. The listing is streamed and counted in full;
 * HeadObject (the only call that tells the encryption) runs on every object with `full`, and
 * otherwise on a uniform random sample of the listing (reservoir sampling: memory holds the
 * sample, never the listing). Buckets no larger than the sample are inspected entirely.
 */
export async function scanBucket(options: ScanOptions, s3: S3Client): Promise<ScanReport> {
  const started = Date.now();
  const sampleSize = Math.max(1, options.sampleSize ?? DEFAULT_SAMPLE_SIZE);
  const listLimit = options.full ? Number.POSITIVE_INFINITY : (options.listLimit ?? DEFAULT_LIST_LIMIT);
  const random = options.random ?? Math.random;
  const classes = emptyClasses();
  const storageClasses: Record<string, Totals> = {};
  const archived: ClassTotals = { count: 0, bytes: 0, examples: [] };
  const otherKeys = new Map<string, number>();
  const errors: { key: string; message: string }[] = [];
  let refused = false;
  const listed: Totals = { count: 0, bytes: 0 };
  let inspected = 0;
  let toInspect: number | undefined;
  let phase: ScanProgress['phase'] = 'listing';
  const progress = throttled(options.onProgress, 250);
  const snapshot = (): ScanProgress => ({
    phase,
    listed: listed.count,
    listedBytes: listed.bytes,
    inspected,
    ...(toInspect === undefined ? {} : { toInspect }),
    elapsedMs: Date.now() - started,
  });

  const tally = (object: ListedObject) => {
    listed.count += 1;
    listed.bytes += object.size;
    const storage = storageClasses[object.storageClass] ?? { count: 0, bytes: 0 };
    storageClasses[object.storageClass] = storage;
    storage.count += 1;
    storage.bytes += object.size;
    if (isArchived(object.storageClass)) add(archived, object.key, object.size);
  };

  const inspect = async (object: ListedObject) => {
    const result = await headObject(s3, options.bucket, object.key, 'scan');
    inspected += 1;
    if (result.kind === 'sse-c') add(classes['sse-c'], object.key, object.size);
    else if (result.kind === 'error') {
      add(classes.unreadable, object.key, object.size);
      if (result.error.httpStatus === 403) refused = true;
      if (errors.length < EXAMPLES) errors.push({ key: object.key, message: result.error.message });
    } else if (result.kind === 'head') {
      const { encryption, kmsKeyId } = classifyHead(result.head, options.keyArn);
      add(classes[encryption], object.key, object.size);
      if (kmsKeyId && encryption === 'sse-kms-other-key')
        otherKeys.set(kmsKeyId, (otherKeys.get(kmsKeyId) ?? 0) + 1);
      if (!isArchived(object.storageClass) && result.head.ArchiveStatus)
        add(archived, object.key, object.size);
    }
    progress.update(snapshot);
  };

  let listingComplete = true;
  const concurrency = options.concurrency ?? DEFAULT_SCAN_CONCURRENCY;
  if (options.full) {
    async function* counted() {
      for await (const object of listObjects(s3, { bucket: options.bucket, step: 'scan' })) {
        tally(object);
        yield object;
      }
    }
    const { stopped } = await runPool(counted(), { concurrency, signal: options.signal }, inspect);
    listingComplete = !stopped;
  } else {
    const sample: ListedObject[] = [];
    for await (const object of listObjects(s3, { bucket: options.bucket, step: 'scan' })) {
      if (options.signal?.aborted || listed.count >= listLimit) {
        listingComplete = false;
        break;
      }
      keepInSample(sample, object, listed.count, sampleSize, random);
      tally(object);
      progress.update(snapshot);
    }
    sample.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    phase = 'inspecting';
    toInspect = sample.length;
    await runPool(
      (async function* () {
        yield* sample;
      })(),
      { concurrency, signal: options.signal },
      inspect,
    );
  }
  progress.flush(snapshot);
  // Requests finish in any order; sorted examples read the same on every run.
  for (const totals of [...Object.values(classes), archived]) totals.examples.sort();

  const noncurrent =
    options.versions === false || options.signal?.aborted
      ? undefined
      : await scanNoncurrentVersions(
          {
            bucket: options.bucket,
            ...(options.keyArn ? { keyArn: options.keyArn } : {}),
            ...(options.full ? { full: true } : {}),
            sampleSize,
            concurrency,
            ...(options.signal ? { signal: options.signal } : {}),
            random,
          },
          s3,
        );
  const aborted = options.signal?.aborted === true;
  const sampled = !options.full && (inspected < listed.count || !listingComplete);
  const estimated = sampled ? estimateFromSample(classes, inspected, listed) : undefined;
  const needs = (source: Record<EncryptionClass, Totals>) =>
    [...NEEDS_REENCRYPTION].reduce(
      (sum, name) => ({ count: sum.count + source[name].count, bytes: sum.bytes + source[name].bytes }),
      { count: 0, bytes: 0 },
    );
  return {
    bucket: options.bucket,
    ...(options.keyArn ? { keyArn: options.keyArn } : {}),
    sampled,
    listingComplete,
    aborted,
    listed,
    inspected,
    classes,
    ...(estimated ? { estimated } : {}),
    storageClasses,
    archived,
    otherKeys: [...otherKeys].map(([keyArn, count]) => ({ keyArn, count })).sort((a, b) => b.count - a.count),
    errors,
    couldNotRead: {
      count: classes.unreadable.count,
      // HeadObject is authorized as s3:GetObject (s3:GetObjectVersion for a version).
      ...(refused ? { permission: `s3:GetObject on arn:aws:s3:::${options.bucket}/*` } : {}),
    },
    needsReencryption: { ...needs(estimated ?? classes), estimated: sampled },
    ...(noncurrent ? { noncurrent } : {}),
    durationMs: Date.now() - started,
  };
}
