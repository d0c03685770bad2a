import { randomBytes } from 'node:crypto';
import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import type { VerificationCheck } from '../apply/contract.js';
import { awsCall } from '../aws/aws-call.js';
import type { AwsClients } from '../aws/clients.js';
import { refusalProbes as probeDefinitions, SSE_C_KEY_FIELD } from './check-definitions.js';
import { asAwsError, describeAwsError, fail, mayHaveStored, pass, refusalOf, VERIFY_STEP } from './checks.js';
import { deleteObject, testObjectRequest } from './test-object.js';
import type { VerifyTarget } from './verify-target.js';

export interface RefusalProbe {
  check: string;
  /** Appended to the test object key, so each probe writes (if it is wrongly let through) its own object. */
  suffix: string;
  encryption: Partial<PutObjectCommandInput>;
}

export interface ProbeResult {
  check: VerificationCheck;
  refused: boolean;
}

/** The uploads the bucket policy must refuse (check-definitions.ts), each SSE-C key a fresh one. */
export function refusalProbes(target: VerifyTarget): RefusalProbe[] {
  return probeDefinitions(target).map((probe) => ({
    ...probe,
    encryption: Object.fromEntries(
      Object.entries(probe.encryption).map(([field, value]) =>
        // A throwaway customer key: base64 of 32 random bytes, which the SDK hashes into the MD5 header.
        field === SSE_C_KEY_FIELD ? [field, randomBytes(32).toString('base64')] : [field, value],
      ),
    ) as Partial<PutObjectCommandInput>,
  }));
}

/**
 * One upload that must be refused. Only AccessDenied/403 counts; an upload that succeeds fails
 * the check and its object is deleted at once.
 */
export async function runProbe(
  target: VerifyTarget,
  clients: AwsClients,
  probe: RefusalProbe,
  baseKey: string,
): Promise<ProbeResult> {
  const key = `${baseKey}-${probe.suffix}`;
  try {
    const output = await awsCall(VERIFY_STEP, 'PutObject', () =>
      clients.s3.send(testObjectRequest(target.bucket, key, probe.encryption)),
    );
    const cleanup = await deleteObject(target.bucket, key, output.VersionId, clients);
    const removal = cleanup.ok
      ? 'the stray object was deleted'
      : `the stray object remains: ${cleanup.detail}`;
    return { check: fail(probe.check, `S3 accepted the upload; ${removal}`), refused: false };
  } catch (error) {
    const awsError = asAwsError('PutObject', error);
    // Refused by KMS means the bucket policy let the upload through: that is not its refusal.
    if (refusalOf(awsError) === 'policy')
      return { check: pass(probe.check, describeAwsError(awsError, false)), refused: true };
    let removal = '';
    if (mayHaveStored(awsError)) {
      const cleanup = await deleteObject(target.bucket, key, undefined, clients);
      removal = cleanup.ok ? '; a possible stray object was deleted' : `; ${cleanup.detail}`;
    }
    const detail = `not a refusal (only AccessDenied, HTTP 403 counts): ${describeAwsError(awsError, false)}${removal}`;
    return { check: fail(probe.check, detail), refused: false };
  }
}

/**
 * A refusal proves the policy only if a compliant upload by the same caller got past it (stored,
 * or refused by KMS after the policy let it through): when everything is refused (no
 * s3:PutObject, or a blanket Deny) it proves nothing.
 */
export function discountRefusals(results: ProbeResult[]): VerificationCheck[] {
  return results.map(({ check, refused }) =>
    refused
      ? fail(
          check.check,
          `${check.detail}; but the compliant upload failed too, so this proves nothing about the policy`,
        )
      : check,
  );
}
