import { keyArnInDocuments, NEW_KEY, refersToNewKey } from '../plan/key-reference.js';
import type { Plan, RoleKind } from '../types.js';
import type { JsonDocument, PlanDocuments } from './documents.js';
import { hclHeredoc, hclString } from './hcl-escape.js';
import { OFFLINE_LOCK, type SetupLock } from './lock.js';
import { encodeView, verbatim } from './view-values.js';

/*
 * The view for the Terraform templates. Strings become HCL quoted strings through
 * hclString; references and heredocs are built here and passed through as Verbatim.
 */

const NEW_KEY_ARN = 'aws_kms_key.this.arn';
const POLICY_INDENT = '  ';

/** A policy as heredoc JSON: the file's bytes, escaped for HCL, then the placeholder resolved. */
function policyHeredoc(document: Pick<JsonDocument, 'text'>, keyArnExpression: string | undefined) {
  return verbatim(
    hclHeredoc(document.text, {
      delimiter: 'POLICY',
      indent: POLICY_INDENT,
      interpolations: keyArnExpression ? [[keyArnInDocuments(NEW_KEY), keyArnExpression]] : [],
    }),
  );
}

/** Terraform resource names allow letters, digits, `_` and `-`; role names allow more. */
function resourceNames(entries: { kind: RoleKind; roleName: string }[]): string[] {
  const used = new Set<string>();
  return entries.map(({ kind, roleName }) => {
    const base = `${kind === 'keyAdmin' ? 'key_admin' : kind}_${roleName.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return name;
  });
}

/**
 * `lock` is what render read from the account (lock-plan.ts): for an existing bucket, the bucket
 * policy in `documents` is already merged into the one read, and main.tf checks that the bucket
 * still holds what was read, as setup.sh does.
 */
export function terraformView(plan: Plan, documents: PlanDocuments, lock: SetupLock = OFFLINE_LOCK) {
  const { config } = plan;
  const { bucket, key, rolePolicies } = plan.desired;
  const newKey = key?.kind === 'new' ? key : undefined;
  const keyArnExpression = newKey ? NEW_KEY_ARN : undefined;
  if (newKey && refersToNewKey(newKey.policy)) {
    // aws_kms_key.this cannot name its own ARN in its policy: Terraform would see a cycle.
    throw new Error('the key policy refers to the key ARN placeholder; Terraform cannot render that');
  }
  const { encryption, publicAccessBlock: block } = bucket;
  const bucketPolicyRead = config.createBucket ? undefined : lock.bucketPolicyText;
  const names = resourceNames(
    rolePolicies.map((each) => ({ kind: each.roleKind, roleName: each.role.name })),
  );

  return encodeView(
    {
      kms: key !== undefined,
      newKey: newKey !== undefined,
      createBucket: config.createBucket,
      // An existing bucket: how much render knew of its policy, for main.tf's check and comments.
      lockRead: lock.read,
      checksBucketPolicy: bucketPolicyRead !== undefined,
      bucketPolicyRead: bucketPolicyRead ? policyHeredoc({ text: bucketPolicyRead }, undefined) : '',
      // Checked, the bucket policy is the file's text with the placeholder, resolved by replace():
      // the check can then compare with it before the new key exists.
      bucketPolicyFile: bucketPolicyRead ? policyHeredoc(documents.bucketPolicy, undefined) : '',
      keyArnPlaceholder: keyArnInDocuments(NEW_KEY),
      newKeyArn: verbatim(NEW_KEY_ARN),
      region: config.region,
      bucket: config.bucket,
      bucketRef: config.createBucket ? verbatim('aws_s3_bucket.this.id') : config.bucket,
      keyArnRef: newKey ? verbatim(NEW_KEY_ARN) : key?.kind === 'existing' ? key.arn : '',
      keyAlias: newKey?.alias ?? '',
      keyDescription: newKey?.description ?? '',
      rotationDays: newKey?.rotationDays ?? 0,
      keyTags: (newKey?.tags ?? []).map((tag) => ({ key: tag.Key, value: tag.Value })),
      keyPolicy: documents.keyPolicy ? policyHeredoc(documents.keyPolicy, undefined) : '',
      sseAlgorithm: encryption.algorithm,
      bucketKeyEnabled: encryption.bucketKeyEnabled,
      blockedEncryptionTypes: encryption.blockedEncryptionTypes,
      publicAccessBlock: {
        blockPublicAcls: block.BlockPublicAcls,
        blockPublicPolicy: block.BlockPublicPolicy,
        ignorePublicAcls: block.IgnorePublicAcls,
        restrictPublicBuckets: block.RestrictPublicBuckets,
      },
      bucketPolicy: policyHeredoc(documents.bucketPolicy, keyArnExpression),
      rolePolicies: rolePolicies.map((each, index) => {
        const document = documents.rolePolicies[each.roleKind];
        if (!document) throw new Error(`no policy document for role kind ${each.roleKind}`);
        return {
          resourceName: names[index] ?? '',
          roleName: each.role.name,
          policyName: each.policyName,
          policy: policyHeredoc(document, keyArnExpression),
        };
      }),
    },
    hclString,
  );
}
