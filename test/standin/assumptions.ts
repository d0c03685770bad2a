/*
 * Where AWS does not document what it does, the stand-in makes one named assumption, here and
 * nowhere else. Each names its source and what would change if AWS behaves otherwise.
 */

/**
 * Which SSE condition keys multipart requests carry. The S3 authorization reference lists
 * s3:x-amz-server-side-encryption (and -aws-kms-key-id) for s3:PutObject, but not which of the
 * operations authorized as s3:PutObject fill them in. The conditional-writes guide
 * ("Enforce conditional writes") says CreateMultipartUpload, UploadPart and UploadPartCopy
 * accept no conditional headers and must be exempted with s3:ObjectCreationOperation, which
 * shows that S3 fills condition keys from each request's own headers. botocore issue #471
 * reports UploadPart refused by a "StringNotEquals s3:x-amz-server-side-encryption" Deny.
 *
 * Assumed (`request-headers`): the SSE keys come from the request's own headers only, so
 * CreateMultipartUpload carries them and UploadPart and CompleteMultipartUpload do not.
 * The alternative reading (`upload-settings`): S3 judges UploadPart and CompleteMultipartUpload
 * with the encryption the upload was created with. Tests can run under either.
 */
export type MultipartSseReading = 'request-headers' | 'upload-settings';
export const MULTIPART_SSE_KEYS: MultipartSseReading = 'request-headers';

/**
 * s3:ObjectCreationOperation (conditional-writes guide): true for operations that create an
 * object (PutObject, CopyObject, CompleteMultipartUpload), false for CreateMultipartUpload,
 * UploadPart and UploadPartCopy, absent for everything else.
 */
export const OBJECT_CREATION_OPERATIONS = new Set(['PutObject', 'CopyObject', 'CompleteMultipartUpload']);
export const MULTIPART_STEP_OPERATIONS = new Set(['CreateMultipartUpload', 'UploadPart', 'UploadPartCopy']);

/**
 * The KMS calls S3 makes for the requester (S3 guide "Using SSE-KMS", "Multipart upload and
 * permissions": "the requester must have kms:Decrypt and kms:GenerateDataKey", because S3
 * decrypts the upload's data key for the parts). Assumed: GenerateDataKey at
 * CreateMultipartUpload, Decrypt at each UploadPart and at CompleteMultipartUpload. With a
 * Bucket Key, S3 calls KMS less often, but every request is still authorized as if it did.
 */
export const MULTIPART_DECRYPT_OPERATIONS = new Set([
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
]);

/**
 * UpdateObjectEncryption (S3 API reference: needs kms:Encrypt, kms:Decrypt,
 * kms:GenerateDataKey and kms:ReEncrypt*). Assumed split: Decrypt and ReEncryptFrom on the
 * object's current key (when it is SSE-KMS), Encrypt, GenerateDataKey and ReEncryptTo on the
 * new key.
 */
export const UPDATE_ENCRYPTION_CURRENT_KEY_ACTIONS = ['kms:Decrypt', 'kms:ReEncryptFrom'];
export const UPDATE_ENCRYPTION_NEW_KEY_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptTo'];

/**
 * CopyObject with the (default) COPY tagging directive: AWS needs s3:GetObjectTagging on the
 * source when it has tags. Not modelled: the stand-in authorizes the object actions only.
 */
export const COPY_TAGS_AUTHORIZED = false;

/**
 * SSE-C on a bucket whose default encryption names no BlockedEncryptionTypes: "Starting April
 * 2026, Amazon S3 automatically disables SSE-C for all new general purpose buckets" (S3 guide,
 * "Blocking or unblocking SSE-C"). Every bucket in a test is new, so it is blocked unless
 * BlockedEncryptionTypes says NONE. Blocked SSE-C writes are refused with HTTP 403 AccessDenied
 * (same guide); the message is the stand-in's own, as AWS does not document it.
 */
export const SSE_C_BLOCKED_BY_DEFAULT = true;
export const SSE_C_BLOCKED_MESSAGE = 'SSE-C writes are blocked for this bucket (BlockedEncryptionTypes)';
