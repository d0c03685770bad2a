import type { BlockedEncryptionType, Scheme } from '../types.js';

/** What S3 itself does to objects at rest: the bucket's default encryption and upload rules. */
export type BucketLayer = 'sse-kms' | 'sse-s3' | 'sse-c';

/**
 * What each scheme means for the account, in one place: plan/, render/, verify/ and cli/
 * read these traits instead of comparing scheme names.
 */
export interface SchemeTraits {
  /** The scheme uses a customer-managed KMS key (a new or an existing one). */
  usesKmsKey: boolean;
  /**
   * The bucket layer under the scheme. client-kms keeps SSE-KMS with the same key as a second
   * layer; client-app-key keeps SSE-S3; SSE-C has its own (customer keys allowed and required).
   */
  bucketLayer: BucketLayer;
  /** PutBucketEncryption's native SSE-C switch, always set explicitly. */
  blockedEncryptionTypes: BlockedEncryptionType[];
  /** The application encrypts before upload; S3 only ever stores ciphertext it cannot read. */
  clientSide: boolean;
  /** The application holds the only key: lose it and the data is gone (SSE-C, client-app-key). */
  applicationHoldsKey: boolean;
  /** A short name for summaries and the README. */
  title: string;
}

export const SCHEME_TRAITS: Record<Scheme, SchemeTraits> = {
  'sse-kms': {
    usesKmsKey: true,
    bucketLayer: 'sse-kms',
    blockedEncryptionTypes: ['SSE-C'],
    clientSide: false,
    applicationHoldsKey: false,
    title: 'SSE-KMS and a customer-managed key',
  },
  'sse-s3': {
    usesKmsKey: false,
    bucketLayer: 'sse-s3',
    blockedEncryptionTypes: ['SSE-C'],
    clientSide: false,
    applicationHoldsKey: false,
    title: 'SSE-S3 (keys managed by S3)',
  },
  'sse-c': {
    usesKmsKey: false,
    bucketLayer: 'sse-c',
    // New buckets refuse SSE-C by default since April 2026: without NONE every upload fails.
    blockedEncryptionTypes: ['NONE'],
    clientSide: false,
    applicationHoldsKey: true,
    title: 'SSE-C (customer-provided keys, sent with every request)',
  },
  'client-kms': {
    usesKmsKey: true,
    bucketLayer: 'sse-kms',
    blockedEncryptionTypes: ['SSE-C'],
    clientSide: true,
    applicationHoldsKey: false,
    title: 'client-side encryption with KMS data keys (AWS Encryption SDK), SSE-KMS underneath',
  },
  'client-app-key': {
    usesKmsKey: false,
    bucketLayer: 'sse-s3',
    blockedEncryptionTypes: ['SSE-C'],
    clientSide: true,
    applicationHoldsKey: true,
    title: 'client-side encryption with an application key (AWS Encryption SDK), SSE-S3 underneath',
  },
};

export const SCHEMES = Object.keys(SCHEME_TRAITS) as Scheme[];

export function schemeTraits(scheme: Scheme): SchemeTraits {
  return SCHEME_TRAITS[scheme];
}

/** The header value S3 reports (and a compliant upload sends) for a bucket layer. */
export function layerAlgorithm(layer: BucketLayer): 'aws:kms' | 'AES256' {
  return layer === 'sse-kms' ? 'aws:kms' : 'AES256';
}

export function isScheme(value: string | undefined): value is Scheme {
  return value !== undefined && (SCHEMES as string[]).includes(value);
}

/**
 * The traits of a raw answer (a flag, a config-file value) before it is validated: absent
 * means the default sse-kms, and an unknown name counts as sse-kms too (its validator reports it).
 */
export function answerTraits(scheme: string | undefined): SchemeTraits {
  return SCHEME_TRAITS[isScheme(scheme) ? scheme : 'sse-kms'];
}
