import { GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import type { VerificationCheck } from '../apply/contract.js';
import { awsCall } from '../aws/aws-call.js';
import type { AwsClients } from '../aws/clients.js';
import { READ_BACK_CHECKS } from './check-definitions.js';
import { asAwsError, describeAwsError, fail, pass, VERIFY_STEP } from './checks.js';
import { layerOf, type VerifyTarget } from './verify-target.js';

export { READ_BACK_CHECKS };

const PUBLIC_ACCESS_FLAGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;

/** Reads the bucket's and the key's settings back, all at once; each read becomes one row. */
export async function readBackChecks(
  target: VerifyTarget,
  clients: AwsClients,
): Promise<VerificationCheck[]> {
  const reads = [checkBucketEncryption(target, clients), checkPublicAccessBlock(target, clients)];
  if (layerOf(target) === 'sse-kms') reads.unshift(checkRotation(target, clients));
  return Promise.all(reads);
}

async function checkRotation(target: VerifyTarget, clients: AwsClients): Promise<VerificationCheck> {
  const name = READ_BACK_CHECKS.rotation;
  try {
    const status = await awsCall(VERIFY_STEP, 'GetKeyRotationStatus', () =>
      clients.kms.send(new GetKeyRotationStatusCommand({ KeyId: target.keyArn })),
    );
    if (status.KeyRotationEnabled !== true) return fail(name, 'automatic rotation is disabled');
    const period = status.RotationPeriodInDays;
    if (period === undefined) {
      const wanted = target.rotationDays === undefined ? '' : ` (expected ${target.rotationDays})`;
      return pass(name, `enabled; the endpoint did not report the period${wanted}`);
    }
    if (target.rotationDays !== undefined && period !== target.rotationDays) {
      return fail(name, `enabled, but every ${period} days instead of ${target.rotationDays}`);
    }
    return pass(name, `enabled, every ${period} days`);
  } catch (error) {
    return fail(name, describeAwsError(asAwsError('GetKeyRotationStatus', error)));
  }
}

async function checkBucketEncryption(target: VerifyTarget, clients: AwsClients): Promise<VerificationCheck> {
  const name = READ_BACK_CHECKS.bucketEncryption;
  try {
    const output = await awsCall(VERIFY_STEP, 'GetBucketEncryption', () =>
      clients.s3.send(new GetBucketEncryptionCommand({ Bucket: target.bucket })),
    );
    const rule = output.ServerSideEncryptionConfiguration?.Rules?.find(
      (r) => r.ApplyServerSideEncryptionByDefault,
    );
    const byDefault = rule?.ApplyServerSideEncryptionByDefault;
    const algorithm = byDefault?.SSEAlgorithm;
    const problems: string[] = [];
    const layer = layerOf(target);
    if (layer === 'sse-c') {
      // SSE-C must be explicitly allowed: new buckets block it since April 2026.
      const blocked = rule?.BlockedEncryptionTypes?.EncryptionType;
      if (algorithm !== 'AES256') problems.push(`algorithm ${algorithm ?? 'none'} instead of AES256`);
      if (!blocked?.includes('NONE'))
        problems.push(
          `BlockedEncryptionTypes ${blocked ? blocked.join(',') : 'not reported'} instead of NONE (SSE-C allowed)`,
        );
      return problems.length === 0
        ? pass(name, 'AES256, SSE-C allowed (BlockedEncryptionTypes NONE)')
        : fail(name, problems.join('; '));
    }
    if (layer === 'sse-s3') {
      if (algorithm !== 'AES256') problems.push(`algorithm ${algorithm ?? 'none'} instead of AES256`);
      return problems.length === 0 ? pass(name, 'AES256') : fail(name, problems.join('; '));
    }
    if (algorithm !== 'aws:kms') problems.push(`algorithm ${algorithm ?? 'none'} instead of aws:kms`);
    if (byDefault?.KMSMasterKeyID !== target.keyArn) {
      problems.push(`key ${byDefault?.KMSMasterKeyID ?? 'none'} instead of ${target.keyArn}`);
    }
    if (rule?.BucketKeyEnabled !== true) problems.push('bucket key not enabled');
    return problems.length === 0
      ? pass(name, `aws:kms with ${target.keyArn}, bucket key enabled`)
      : fail(name, problems.join('; '));
  } catch (error) {
    return fail(name, describeAwsError(asAwsError('GetBucketEncryption', error)));
  }
}

async function checkPublicAccessBlock(target: VerifyTarget, clients: AwsClients): Promise<VerificationCheck> {
  const name = READ_BACK_CHECKS.publicAccessBlock;
  try {
    const output = await awsCall(VERIFY_STEP, 'GetPublicAccessBlock', () =>
      clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: target.bucket })),
    );
    const config = output.PublicAccessBlockConfiguration;
    const off = PUBLIC_ACCESS_FLAGS.filter((flag) => config?.[flag] !== true);
    return off.length === 0 ? pass(name, 'all four settings on') : fail(name, `not on: ${off.join(', ')}`);
  } catch (error) {
    return fail(name, describeAwsError(asAwsError('GetPublicAccessBlock', error)));
  }
}
