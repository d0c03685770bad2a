import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsCall } from '../aws/aws-call.js';
import { AwsError } from '../errors.js';
import { storedPolicy } from './policy-json.js';
import { readIfExists, softRead, speculative } from './reads.js';
import type { BucketState } from './state.js';

const STEP = 'discover: bucket';

/**
 * Reads the bucket's current protection. ExpectedBucketOwner makes S3 answer 403 for a
 * bucket of the same name in another account, so this never reads or writes someone
 * else's bucket. The settings are read together with HeadBucket, not after it: when the
 * bucket turns out missing, foreign or elsewhere, their answers (errors mostly) are dropped.
 */
export async function discoverBucket(
  s3: S3Client,
  bucket: string,
  region: string,
  account: string,
): Promise<BucketState> {
  const owner = { Bucket: bucket, ExpectedBucketOwner: account };
  const settings = Promise.all([
    speculative(
      readIfExists(STEP, 'GetBucketEncryption', ['ServerSideEncryptionConfigurationNotFoundError'], () =>
        s3.send(new GetBucketEncryptionCommand(owner)),
      ),
    ),
    speculative(
      readIfExists(STEP, 'GetBucketPolicy', ['NoSuchBucketPolicy'], () =>
        s3.send(new GetBucketPolicyCommand(owner)),
      ),
    ),
    speculative(
      readIfExists(STEP, 'GetPublicAccessBlock', ['NoSuchPublicAccessBlockConfiguration'], () =>
        s3.send(new GetPublicAccessBlockCommand(owner)),
      ),
    ),
    speculative(
      softRead(STEP, 'ListObjectsV2', () => s3.send(new ListObjectsV2Command({ ...owner, MaxKeys: 1 }))),
    ),
  ]);
  let actualRegion: string | undefined;
  try {
    const head = await awsCall(STEP, 'HeadBucket', () => s3.send(new HeadBucketCommand(owner)));
    actualRegion = head.BucketRegion;
  } catch (error) {
    await settings;
    if (!(error instanceof AwsError)) throw error;
    if (error.httpStatus === 404) return { status: 'missing' };
    if (error.httpStatus === 403) return { status: 'forbidden' };
    if (error.httpStatus !== 301) throw error;
    actualRegion = regionHeaderOf(error.cause);
  }
  actualRegion ??= await locate(s3, owner);
  const [readEncryption, readPolicy, readPublicAccessBlock, readListing] = await settings;
  if (actualRegion !== region) return { status: 'elsewhere', region: actualRegion };
  const [encryption, policy, publicAccessBlock, listing] = [
    readEncryption(),
    readPolicy(),
    readPublicAccessBlock(),
    readListing(),
  ];
  return {
    status: 'exists',
    region: actualRegion,
    encryption: encryption?.ServerSideEncryptionConfiguration?.Rules,
    policy: policy?.Policy ? storedPolicy(policy.Policy) : undefined,
    publicAccessBlock: publicAccessBlock?.PublicAccessBlockConfiguration,
    holdsObjects: 'value' in listing ? (listing.value.KeyCount ?? 0) > 0 : undefined,
  };
}

async function locate(s3: S3Client, owner: { Bucket: string; ExpectedBucketOwner: string }): Promise<string> {
  const answer = await awsCall(STEP, 'GetBucketLocation', () => s3.send(new GetBucketLocationCommand(owner)));
  const constraint: string = answer.LocationConstraint ?? '';
  // Legacy answers: no constraint is us-east-1, "EU" is eu-west-1.
  if (constraint === '') return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

/** A HeadBucket sent to the wrong region answers 301 with the bucket's region in a header. */
function regionHeaderOf(sdkError: unknown): string | undefined {
  const response = (sdkError as { $response?: { headers?: Record<string, string> } } | undefined)?.$response;
  return response?.headers?.['x-amz-bucket-region'];
}
