import { createHash, randomBytes } from 'node:crypto';

/** An SSE-C key verify makes up for one run and forgets: never written anywhere. */
export interface CustomerKey {
  bytes: Buffer;
  /** What S3 reports as SSECustomerKeyMD5: base64 of the key's MD5. */
  md5: string;
}

export function throwawayCustomerKey(): CustomerKey {
  const bytes = randomBytes(32);
  return { bytes, md5: createHash('md5').update(bytes).digest('base64') };
}

/**
 * The SDK fields a request sends for the key. The SDK takes base64 of exactly 32 bytes as the
 * key itself (anything else as UTF-8 text) and adds the key-MD5 header.
 */
export function customerKeyFields(key: CustomerKey) {
  return { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.bytes.toString('base64') };
}
