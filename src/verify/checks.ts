import type { VerificationCheck } from '../apply/contract.js';
import { toAwsError } from '../aws/aws-call.js';
import type { AwsError } from '../errors.js';
import { type RefusalKind, refusalKind } from './refusal-rule.js';

/** Every call verify makes is reported under this step name. */
export const VERIFY_STEP = 'verify';

export function pass(check: string, detail: string): VerificationCheck {
  return { check, ok: true, detail };
}

export function fail(check: string, detail: string): VerificationCheck {
  return { check, ok: false, detail };
}

export function asAwsError(operation: string, error: unknown): AwsError {
  return toAwsError(VERIFY_STEP, operation, error);
}

/** One line a person can act on: name, HTTP status, request id, message and, for failures, the hint. */
export function describeAwsError(error: AwsError, withHint = true): string {
  const facts = [
    error.httpStatus === undefined ? 'no HTTP response' : `HTTP ${error.httpStatus}`,
    error.requestId === undefined ? undefined : `request id ${error.requestId}`,
  ].filter(Boolean);
  const prefix = `${error.step}: ${error.operation} failed: ${error.errorName}: `;
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  const hint = withHint && error.hint ? `; hint: ${error.hint}` : '';
  return `${error.errorName} (${facts.join(', ')}): ${message}${hint}`;
}

/**
 * Only AccessDenied with HTTP 403 is a refusal (refusal-rule.ts). Anything else (a 500, a KMS
 * NotFound, a bad signature, an empty-body 403 the SDK calls "Unknown") says nothing about the
 * bucket policy.
 */
export function refusalOf(error: AwsError): RefusalKind {
  return refusalKind(error.errorName, error.httpStatus, error.message);
}

export function isRefusal(error: AwsError): boolean {
  return refusalOf(error) !== 'none';
}

/** A check that could not run from this seat: it fails nothing, and says how to run it. */
export function notRun(check: string, detail: string): VerificationCheck {
  return { check, ok: true, notRun: true, detail };
}

/** No HTTP status means the request may have reached S3 before the connection failed. */
export function mayHaveStored(error: AwsError): boolean {
  return error.httpStatus === undefined;
}
