/*
 * What counts as a refusal, defined once: the TypeScript verifier applies it, and verify.sh is
 * rendered from the same values. A refusal is S3's AccessDenied with HTTP 403. When its message
 * names a KMS action, KMS refused the key use that S3 attempted for the caller; otherwise a
 * policy refused the request before any key was touched.
 */
export const REFUSAL_ERROR_CODE = 'AccessDenied';
export const REFUSAL_HTTP_STATUS = 403;
/** S3 passes KMS's reason on: "... not authorized to perform: kms:GenerateDataKey on resource ...". */
export const KMS_REFUSAL_PATTERN = 'kms:[A-Za-z]+';

export type RefusalKind = 'policy' | 'kms' | 'none';

export function refusalKind(errorCode: string, httpStatus: number | undefined, message: string): RefusalKind {
  if (errorCode !== REFUSAL_ERROR_CODE || httpStatus !== REFUSAL_HTTP_STATUS) return 'none';
  return new RegExp(KMS_REFUSAL_PATTERN).test(message) ? 'kms' : 'policy';
}
