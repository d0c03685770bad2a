export type WizardScheme = 'sse-kms' | 'sse-s3' | 'sse-c' | 'client-side';

/** What the user must do themselves for the schemes this tool explains but does not build. */
export function explainUnsupportedScheme(scheme: 'sse-c' | 'client-side'): string {
  if (scheme === 'sse-c') {
    return [
      'With SSE-C your application sends its own 256-bit key with every PUT and GET; S3 stores',
      'only a salted HMAC of it. There is nothing to set up in the account, and nothing this',
      'tool could keep for you: lose the key and the objects are unreadable, forever.',
      'You must: generate and store keys in your own key store, send the three',
      'x-amz-server-side-encryption-customer-* headers on every request, and rotate by',
      're-copying objects. Most teams are better served by SSE-KMS; run again to choose it.',
    ].join('\n');
  }
  return [
    'With client-side encryption your application encrypts before upload (for example with',
    'the AWS Encryption SDK or the Amazon S3 Encryption Client) and S3 only ever sees',
    'ciphertext. The work moves into your app: key management, envelope encryption, and',
    'every reader needs the same client. The bucket itself can still use SSE-KMS as a second',
    'layer: run again and choose SSE-KMS for that.',
  ].join('\n');
}
