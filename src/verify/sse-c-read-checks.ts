import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { VerificationCheck } from '../apply/contract.js';
import { awsCall } from '../aws/aws-call.js';
import type { AwsClients } from '../aws/clients.js';
import { MISSING_KEY_HTTP_STATUS, SSE_C_READ_CHECKS, sseCReadCheckNames } from './check-definitions.js';
import { asAwsError, describeAwsError, fail, pass, VERIFY_STEP } from './checks.js';

export { MISSING_KEY_HTTP_STATUS, sseCReadCheckNames };

/** HeadObject and GetObject without the key, both of which must fail. */
export async function sseCReadChecks(
  bucket: string,
  key: string,
  clients: AwsClients,
): Promise<VerificationCheck[]> {
  return Promise.all([
    withoutKey(SSE_C_READ_CHECKS.head, 'HeadObject', () =>
      clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
    ),
    withoutKey(SSE_C_READ_CHECKS.get, 'GetObject', async () => {
      const output = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      // Served without the key: drain the body so the connection is released.
      await output.Body?.transformToByteArray();
      return output;
    }),
  ]);
}

async function withoutKey(
  check: string,
  operation: string,
  send: () => Promise<unknown>,
): Promise<VerificationCheck> {
  try {
    await awsCall(VERIFY_STEP, operation, send);
    return fail(check, `S3 served the object without its customer key: it is not SSE-C protected`);
  } catch (error) {
    const awsError = asAwsError(operation, error);
    return awsError.httpStatus === MISSING_KEY_HTTP_STATUS
      ? pass(check, describeAwsError(awsError, false))
      : fail(
          check,
          `not the missing-key refusal (only HTTP ${MISSING_KEY_HTTP_STATUS} counts): ${describeAwsError(awsError, false)}`,
        );
  }
}

export function sseCReadChecksNotRun(reason: string): VerificationCheck[] {
  return sseCReadCheckNames().map((name) => fail(name, reason));
}
