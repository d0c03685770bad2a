import type { Config, KeyReference, PolicyDocument, PolicyStatement } from '../types.js';
import { accountRootArn, bucketArn, objectsArn } from './arns.js';
import { BUCKET_GUARDRAIL_ACTIONS, OBJECT_GUARDRAIL_ACTIONS } from './guardrails.js';
import { keyArnInDocuments } from './key-reference.js';
import { layerAlgorithm, schemeTraits } from './schemes.js';

/**
 * Every statement this tool writes into a bucket policy starts with this Sid prefix, so a
 * merge can replace ours and keep everybody else's untouched.
 */
export const OWN_SID_PREFIX = 'EncryptedBucket';

const SSE_ALGORITHM = 's3:x-amz-server-side-encryption';
const SSE_KMS_KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
export const SSE_CUSTOMER_ALGORITHM = 's3:x-amz-server-side-encryption-customer-algorithm';

/** Who may change the bucket's guardrails: the root user (break-glass) and the key administrators. */
export function guardrailAdministrators(config: Config): string[] {
  return [accountRootArn(config), ...config.roles.keyAdmin.map((role) => role.arn)];
}

export function buildBucketPolicy(config: Config, key: KeyReference | undefined): PolicyDocument {
  const keyArn = key && keyArnInDocuments(key);
  const layer = schemeTraits(config.scheme).bucketLayer;
  const bucketAndObjects = [bucketArn(config), objectsArn(config)];
  const denyPut = (sid: string, condition: PolicyStatement['Condition']): PolicyStatement => ({
    Sid: `${OWN_SID_PREFIX}${sid}`,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: objectsArn(config),
    Condition: condition,
  });

  const statements: PolicyStatement[] = [
    {
      Sid: `${OWN_SID_PREFIX}DenyInsecureTransport`,
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: bucketAndObjects,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: `${OWN_SID_PREFIX}DenyOutdatedTls`,
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: bucketAndObjects,
      Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
    },
    {
      // Only the key administrators (the owners of this setup; apply adds whoever runs it)
      // and the root user may change the bucket's security settings, even with s3:* in IAM.
      // Through aws:PrincipalArn, so a role created again under the same name stays covered.
      Sid: `${OWN_SID_PREFIX}DenyGuardrailChanges`,
      Effect: 'Deny',
      Principal: '*',
      Action: [...BUCKET_GUARDRAIL_ACTIONS, ...OBJECT_GUARDRAIL_ACTIONS],
      Resource: bucketAndObjects,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': guardrailAdministrators(config) } },
    },
  ];

  if (layer === 'sse-c') {
    statements.splice(2, 0, ...sseCUploadRules(denyPut));
    return { Version: '2012-10-17', Statement: statements };
  }
  // A customer-provided key would bypass the bucket's key entirely. The bucket's
  // BlockedEncryptionTypes refuses it natively; this deny is the second layer.
  statements.splice(2, 0, denyPut('DenySseC', { Null: { [SSE_CUSTOMER_ALGORITHM]: 'false' } }));

  const algorithm = layerAlgorithm(layer);
  if (config.enforcement === 'strict') {
    // StringNotEquals is true when the header is missing, so headerless uploads are denied too.
    statements.push(
      denyPut('DenyUploadsWithoutRequiredEncryption', { StringNotEquals: { [SSE_ALGORITHM]: algorithm } }),
    );
    if (keyArn) {
      statements.push(denyPut('DenyUploadsWithOtherKey', { StringNotEquals: { [SSE_KMS_KEY_ID]: keyArn } }));
    }
  } else if (keyArn) {
    // Compatible: only uploads that send an encryption header are judged (the Null guard);
    // headerless ones fall through to the bucket default. A header of aws:kms without a key
    // id would get the AWS managed key, so a missing key id is denied here too.
    // The algorithm is judged on its own: the key-id check alone let `aws:kms:dsse` (or
    // AES256) naming this key through, which strict mode refuses.
    statements.push(
      denyPut('DenyUploadsNamingOtherAlgorithm', {
        Null: { [SSE_ALGORITHM]: 'false' },
        StringNotEquals: { [SSE_ALGORITHM]: algorithm },
      }),
      denyPut('DenyUploadsNamingOtherEncryption', {
        Null: { [SSE_ALGORITHM]: 'false' },
        StringNotEquals: { [SSE_KMS_KEY_ID]: keyArn },
      }),
    );
  } else {
    statements.push(
      denyPut('DenyUploadsNamingOtherEncryption', {
        Null: { [SSE_ALGORITHM]: 'false' },
        StringNotEquals: { [SSE_ALGORITHM]: algorithm },
      }),
    );
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * SSE-C: every upload must carry the customer key. StringNotEquals is true when the header is
 * missing, so headerless uploads (which would fall to SSE-S3) are denied as well as any other
 * algorithm; an upload that also asks for SSE-S3 or SSE-KMS is denied outright.
 */
function sseCUploadRules(
  denyPut: (sid: string, condition: PolicyStatement['Condition']) => PolicyStatement,
): PolicyStatement[] {
  return [
    denyPut('DenyUploadsWithoutSseC', { StringNotEquals: { [SSE_CUSTOMER_ALGORITHM]: 'AES256' } }),
    denyPut('DenyUploadsNamingOtherEncryption', { Null: { [SSE_ALGORITHM]: 'false' } }),
  ];
}
