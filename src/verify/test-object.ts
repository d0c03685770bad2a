import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import type { VerificationCheck } from '../apply/contract.js';
import { awsCall } from '../aws/aws-call.js';
import type { AwsClients } from '../aws/clients.js';
import {
  CLEANUP_CHECK,
  compliantEncryption,
  SSE_C_KEY_FIELD,
  TEST_OBJECT_BODY,
  TEST_OBJECT_PREFIX,
  uploadCheckName,
} from './check-definitions.js';
import { asAwsError, describeAwsError, fail, mayHaveStored, pass, refusalOf, VERIFY_STEP } from './checks.js';
import { type CustomerKey, customerKeyFields, throwawayCustomerKey } from './customer-key.js';
import { objectChecks, objectChecksNotRun } from './object-checks.js';
import { sseCReadChecks, sseCReadChecksNotRun } from './sse-c-read-checks.js';
import { layerOf, type VerifyTarget } from './verify-target.js';

export { CLEANUP_CHECK, compliantEncryption, TEST_OBJECT_BODY, TEST_OBJECT_PREFIX, uploadCheckName };

export function newTestObjectKey(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${TEST_OBJECT_PREFIX}verify-${stamp}-${randomBytes(4).toString('hex')}`;
}

export function testObjectRequest(bucket: string, key: string, encryption: Partial<PutObjectCommandInput>) {
  return new PutObjectCommand({
    Bucket: bucket,
    Key: key,
    Body: TEST_OBJECT_BODY,
    ContentType: 'text/plain',
    ...encryption,
  });
}

/** The compliant upload's fields, with the run's throwaway customer key where SSE-C needs one. */
export function uploadEncryption(
  target: VerifyTarget,
  customerKey?: CustomerKey,
): Partial<PutObjectCommandInput> {
  return Object.fromEntries(
    Object.entries(compliantEncryption(target)).map(([field, value]) =>
      field === SSE_C_KEY_FIELD && customerKey
        ? [field, customerKey.bytes.toString('base64')]
        : [field, value],
    ),
  ) as Partial<PutObjectCommandInput>;
}

export interface TestObjectResult {
  /** True when S3 stored the compliant upload; refusals mean nothing without it. */
  accepted: boolean;
  checks: VerificationCheck[];
  cleanup: VerificationCheck;
}

/** Uploads the test object like a compliant client, inspects it, and always removes what was stored. */
export async function checkTestObject(
  target: VerifyTarget,
  clients: AwsClients,
  key: string,
): Promise<TestObjectResult> {
  const name = uploadCheckName(target);
  const where = `s3://${target.bucket}/${key}`;
  const sseC = layerOf(target) === 'sse-c';
  // Made up for this run, used for this object only, and forgotten with it.
  const customerKey = sseC ? throwawayCustomerKey() : undefined;
  let versionId: string | undefined;
  try {
    const output = await awsCall(VERIFY_STEP, 'PutObject', () =>
      clients.s3.send(testObjectRequest(target.bucket, key, uploadEncryption(target, customerKey))),
    );
    versionId = output.VersionId;
  } catch (error) {
    const awsError = asAwsError('PutObject', error);
    // A KMS refusal means this caller is not an application role: granting it the key would
    // break the separation, so the advice is to run as one.
    const detail =
      refusalOf(awsError) === 'kms'
        ? `${describeAwsError(awsError, false)}; run verify as an application role (--verify-role ROLE)`
        : describeAwsError(awsError);
    return {
      accepted: false,
      checks: [
        fail(name, detail),
        ...objectChecksNotRun(target, 'not checked: the test upload failed'),
        ...(sseC ? sseCReadChecksNotRun('not checked: the test upload failed') : []),
      ],
      // Without an HTTP answer the upload may still have landed, so delete to be sure.
      cleanup: mayHaveStored(awsError)
        ? await deleteObject(target.bucket, key, undefined, clients)
        : nothingStored(),
    };
  }

  const result: TestObjectResult = {
    accepted: true,
    checks: [pass(name, `stored ${where}`)],
    cleanup: nothingStored(),
  };
  try {
    result.checks.push(...(await inspectObject(target, clients, key, 'test object', customerKey)));
    if (sseC) result.checks.push(...(await sseCReadChecks(target.bucket, key, clients)));
  } finally {
    // Runs even if inspecting threw something unexpected: the test object never stays behind.
    result.cleanup = await deleteObject(target.bucket, key, versionId, clients);
  }
  return result;
}

/**
 * HeadObject one object and compare its encryption fields; a failed read fails every row. An
 * SSE-C object is read with its key; without one (an existing object, whose key verify never
 * has) all it can show is that S3 refuses to describe it without the key.
 */
export async function inspectObject(
  target: VerifyTarget,
  clients: AwsClients,
  key: string,
  label: string,
  customerKey?: CustomerKey,
): Promise<VerificationCheck[]> {
  if (layerOf(target) === 'sse-c' && !customerKey) {
    return (await sseCReadChecks(target.bucket, key, clients)).slice(0, 1);
  }
  try {
    const head = await awsCall(VERIFY_STEP, 'HeadObject', () =>
      clients.s3.send(
        new HeadObjectCommand({
          Bucket: target.bucket,
          Key: key,
          ...(customerKey ? customerKeyFields(customerKey) : {}),
        }),
      ),
    );
    return objectChecks(target, head, label, customerKey?.md5);
  } catch (error) {
    return objectChecksNotRun(target, `${label}: ${describeAwsError(asAwsError('HeadObject', error))}`);
  }
}

function nothingStored(): VerificationCheck {
  return pass(CLEANUP_CHECK, 'nothing to delete: S3 stored no test object');
}

/** Deletes one object verify wrote (the exact version, so a versioned bucket keeps no copy); never throws. */
export async function deleteObject(
  bucket: string,
  key: string,
  versionId: string | undefined,
  clients: AwsClients,
): Promise<VerificationCheck> {
  const what = `s3://${bucket}/${key}${versionId ? ` (version ${versionId})` : ''}`;
  try {
    await awsCall(VERIFY_STEP, 'DeleteObject', () =>
      clients.s3.send(
        new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
      ),
    );
    return pass(CLEANUP_CHECK, `deleted ${what}`);
  } catch (error) {
    return fail(
      CLEANUP_CHECK,
      `could not delete ${what}: ${describeAwsError(asAwsError('DeleteObject', error))}`,
    );
  }
}
