import type { Scheme } from '../types.js';

/**
 * What moving the objects already in the bucket to a scheme takes. S3 can change server-side
 * encryption itself (UpdateObjectEncryption, a copy in place); it cannot encrypt under a key it
 * never holds, so for SSE-C and the client-side schemes that is the application's work, and
 * the tool does not pretend otherwise.
 */
export function movingToScheme(scheme: Scheme): string {
  switch (scheme) {
    case 'sse-kms':
      return 'Moving to SSE-KMS: S3 re-encrypts older objects under the key in place (create-encrypted-bucket reencrypt, run as the re-encryption or an application role); nothing is downloaded.';
    case 'sse-s3':
      return 'Moving to SSE-S3: S3 re-encrypts older objects in place (a copy onto itself asking for AES256); nothing is downloaded.';
    case 'sse-c':
      return 'Moving to SSE-C: S3 never holds your key, so no S3 or tool operation can re-encrypt for you. Each older object must be re-uploaded through the application with its customer key (or copied onto itself by the application, sending the key as the target key: snippets/ copy()). Until then they stay as listed above, readable without any customer key.';
    case 'client-kms':
      return 'Moving to client-side encryption with KMS data keys: S3 can move the bucket layer to the key (reencrypt), but the client-side layer only exists for objects the application itself encrypts. Each older object must be downloaded and uploaded again through the client module; until then it is stored as plaintext under server-side encryption only.';
    case 'client-app-key':
      return 'Moving to client-side encryption with an application key: the key never leaves the application, so no S3 or tool operation can encrypt older objects. Each one must be downloaded and uploaded again through the client module; until then it is stored as plaintext under SSE-S3 only.';
  }
}
