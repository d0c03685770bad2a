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

/**
 * A direct KMS call (client-kms's data keys, not through S3) is refused with KMS's own error:
 * AccessDeniedException, which KMS answers with HTTP 400. Anything else (InvalidCiphertext, a
 * NotFound, a throttle) is not the key policy saying no.
 */
export const KMS_DIRECT_REFUSAL_ERROR_CODE = 'AccessDeniedException';
export const KMS_DIRECT_REFUSAL_HTTP_STATUS = 400;

export function isKmsDirectRefusal(errorCode: string, httpStatus: number | undefined): boolean {
  return errorCode === KMS_DIRECT_REFUSAL_ERROR_CODE && httpStatus === KMS_DIRECT_REFUSAL_HTTP_STATUS;
}
