import type { VerificationCheck } from '../apply/contract.js';
import { awsCall } from '../aws/aws-call.js';
import type { AwsClients } from '../aws/clients.js';
import { asAwsError, describeAwsError, fail, pass, refusalOf, VERIFY_STEP } from './checks.js';
import { deleteObject, testObjectRequest, uploadEncryption } from './test-object.js';
import type { VerifyTarget } from './verify-target.js';

export const ADMINISTRATOR_UPLOAD_CHECK = 'key refused to this caller (not an application role)';

export interface AdministratorUpload {
  check: VerificationCheck;
  /** The bucket policy let the compliant upload through to KMS (or S3 stored it). */
  passedBucketPolicy: boolean;
}

/**
 * The administrator sends what a compliant client sends. The bucket policy lets it through,
 * and KMS refuses: only application roles may use the key. That refusal is the separation
 * holding; an accepted upload means the key is open to more than the application roles.
 */
export async function administratorUpload(
  target: VerifyTarget,
  clients: AwsClients,
  key: string,
): Promise<AdministratorUpload> {
  try {
    const output = await awsCall(VERIFY_STEP, 'PutObject', () =>
      clients.s3.send(testObjectRequest(target.bucket, key, uploadEncryption(target))),
    );
    const cleanup = await deleteObject(target.bucket, key, output.VersionId, clients);
    const removal = cleanup.ok ? 'the object was deleted' : `the object remains: ${cleanup.detail}`;
    return {
      check: fail(
        ADMINISTRATOR_UPLOAD_CHECK,
        `S3 encrypted an upload with the key for this caller; only application roles should be able to (${removal})`,
      ),
      passedBucketPolicy: true,
    };
  } catch (error) {
    const awsError = asAwsError('PutObject', error);
    const kind = refusalOf(awsError);
    if (kind === 'kms') {
      return {
        check: pass(ADMINISTRATOR_UPLOAD_CHECK, `separation holds: ${describeAwsError(awsError, false)}`),
        passedBucketPolicy: true,
      };
    }
    const why =
      kind === 'policy'
        ? 'a policy refused the compliant upload before KMS was asked'
        : 'the compliant upload failed, not as a refusal';
    return {
      check: fail(ADMINISTRATOR_UPLOAD_CHECK, `${why}: ${describeAwsError(awsError, false)}`),
      passedBucketPolicy: false,
    };
  }
}
