import { AwsError } from '../errors.js';
import { permissionFor } from './permissions.js';

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * Runs one AWS call and turns any failure into an AwsError naming the step, the operation,
 * the error name, HTTP status, request id and a hint. Never includes the request itself.
 */
export async function awsCall<T>(step: string, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsError(step, operation, error);
  }
}

export function toAwsError(step: string, operation: string, error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = shape.name ?? 'Error';
  const status = shape.$metadata?.httpStatusCode;
  return new AwsError({
    step,
    operation,
    errorName: name,
    // An empty-body error (S3 403s often are) reaches us as the SDK's "UnknownError".
    message:
      shape.message && shape.message !== 'UnknownError'
        ? shape.message
        : status
          ? `HTTP ${status} with no message`
          : 'no message',
    httpStatus: status,
    requestId: shape.$metadata?.requestId,
    hint: hintFor(operation, name, shape.code, status),
    cause: error,
  });
}

function hintFor(
  operation: string,
  name: string,
  code: string | undefined,
  status: number | undefined,
): string | undefined {
  if (name === 'CredentialsProviderError' || name === 'ExpiredToken' || name === 'ExpiredTokenException') {
    return 'no valid AWS credentials: set AWS_PROFILE (or pass --profile), run `aws sso login`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';
  }
  if (
    name === 'InvalidClientTokenId' ||
    name === 'SignatureDoesNotMatch' ||
    name === 'UnrecognizedClientException'
  ) {
    return 'the credentials were rejected: check the access key, secret and session token of the profile in use';
  }
  if ((code && NETWORK_CODES.has(code)) || name === 'TimeoutError') {
    return 'AWS could not be reached: check the network, --region and --endpoint-url / AWS_ENDPOINT_URL';
  }
  if (status === 403 || /AccessDenied|UnauthorizedOperation|NotAuthorized/.test(name)) {
    const permission = permissionFor(operation);
    return permission
      ? `the caller needs ${permission} for this step; grant it, or run as a principal that has it, then re-run (finished steps are not repeated)`
      : 'the caller lacks a permission for this step; re-run once it is granted (finished steps are not repeated)';
  }
  if (name === 'ThrottlingException' || name === 'SlowDown' || name === 'TooManyRequestsException') {
    return 'AWS throttled the requests even after retries; wait a minute and re-run';
  }
  return undefined;
}
