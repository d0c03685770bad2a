import type { Config, KeyReference, Plan, PolicyDocument, RoleKind } from '../types.js';
import { buildAccessTable } from './access-table.js';
import { buildBucketPolicy } from './bucket-policy.js';
import { estimateCost } from './cost.js';
import { buildDesiredState, ROLE_KINDS } from './desired-state.js';
import { buildKeyPolicy } from './key-policy.js';
import { keyArnInDocuments, NEW_KEY } from './key-reference.js';
import { planOperations } from './operations.js';
import { renderedReencryptJobs } from './reencrypt-jobs.js';
import { buildRolePolicy, rolePolicyName } from './role-policies.js';
import { schemeTraits } from './schemes.js';
import { buildReencryptTrustPolicy, buildTakeoverScp } from './takeover-scp.js';

export { KEY_TAG_KEY, ROLE_KINDS } from './desired-state.js';
export { resolveKeyArn } from './key-reference.js';

/**
 * Config -> Plan. Pure: every document is built here once and shared by apply and render. The
 * desired state first, then the operations derived from it.
 */
export function buildPlan(config: Config): Plan {
  const traits = schemeTraits(config.scheme);
  const kms = traits.usesKmsKey ? config.key : undefined;
  const keyArn: KeyReference | undefined =
    kms === undefined ? undefined : kms.kind === 'existing' ? { kind: 'existing', arn: kms.arn } : NEW_KEY;
  const keyPolicy = kms ? buildKeyPolicy(config) : undefined;
  const bucketPolicy = buildBucketPolicy(config, keyArn);

  const rolePolicies: Partial<Record<RoleKind, PolicyDocument>> = {};
  for (const kind of ROLE_KINDS) {
    if (config.roles[kind].length > 0) rolePolicies[kind] = buildRolePolicy(config, kind, keyArn);
  }
  const rolePolicyNames = Object.fromEntries(
    ROLE_KINDS.map((kind) => [kind, rolePolicyName(config, kind)]),
  ) as Record<RoleKind, string>;

  const desired = buildDesiredState(config, {
    keyArn,
    keyPolicy,
    bucketPolicy,
    rolePolicies,
    rolePolicyNames,
  });

  const optionalScp = buildTakeoverScp(config);
  const [reencryptRole] = config.roles.reencrypt;
  return {
    config,
    desired,
    ...(keyArn ? { keyArn } : {}),
    steps: planOperations(desired),
    documents: {
      ...(keyPolicy ? { keyPolicy } : {}),
      bucketPolicy,
      rolePolicies,
      ...(config.roles.reencrypt.length > 0 ? { reencryptTrustPolicy: buildReencryptTrustPolicy() } : {}),
      ...(keyArn && reencryptRole
        ? { reencryptJobs: renderedReencryptJobs(config, keyArnInDocuments(keyArn), reencryptRole.arn) }
        : {}),
      ...(optionalScp ? { optionalScp } : {}),
    },
    rolePolicyNames,
    accessTable: buildAccessTable(config),
    cost: estimateCost(config),
    warnings: planWarnings(config),
  };
}

function planWarnings(config: Config): string[] {
  const warnings = [
    // First, so no summary or README can bury them.
    ...(schemeTraits(config.scheme).bucketLayer === 'sse-c' ? SSE_C_WARNINGS : []),
    'Default encryption applies to objects written from now on; existing objects keep their encryption.',
  ];
  const traits = schemeTraits(config.scheme);
  if (traits.usesKmsKey && config.roles.app.length === 0) {
    warnings.push('No application role: nobody will be able to read or write objects until one is added.');
  }
  if (config.key?.kind === 'existing') {
    warnings.push(
      'An existing key is used as it is: its key policy and rotation are not changed. Review policies/key-policy.json, the policy this separation needs, and apply it yourself.',
    );
  }
  const caller = config.roles.keyAdmin.find((role) => role.addedAsCaller);
  if (caller) {
    warnings.push(
      `${caller.arn} runs this apply, so it becomes a key administrator: the only principals besides the root user that may change the key policy and the bucket's security settings.`,
    );
  }
  if (config.roles.keyAdmin.length > 0) {
    warnings.push(
      traits.usesKmsKey
        ? 'Key administrators may change the key policy, and so could grant themselves Decrypt. Keep that role rare.'
        : 'Administrators may change the bucket policy, and so could grant themselves reads. Keep that role rare.',
    );
  } else {
    // Without one the bucket policy's guardrail Deny exempts only the root user: a re-run of
    // setup.sh by anybody else is refused at its first guarded write.
    warnings.push(
      "No administrator: only the root user may change the bucket's security settings, so nobody else can run setup.sh again. Name one with --key-admin-role ROLE.",
    );
  }
  warnings.push(
    "Residual risk: an IAM administrator can change an application role's trust policy and assume it, and no key or bucket policy can stop that. With AWS Organizations, attach policies/optional-scp.json (rendered, never applied) as a service control policy.",
  );
  if (config.enforcement === 'strict' && traits.bucketLayer !== 'sse-c') {
    warnings.push(
      traits.bucketLayer === 'sse-kms'
        ? 'Strict enforcement: every upload must send both encryption headers (aws:kms and this key); headerless clients (some SDK defaults, Terraform state locking) will be refused.'
        : 'Strict enforcement: every upload must send x-amz-server-side-encryption: AES256; headerless clients (some SDK defaults, Terraform state locking) will be refused.',
    );
  }
  if (config.bucket.includes('.')) {
    warnings.push(
      'The bucket name contains dots: virtual-hosted HTTPS requests fail certificate checks; clients need path-style.',
    );
  }
  return warnings;
}

/** Said loudly wherever the plan is shown: the README, the summary, apply's output. */
export const SSE_C_WARNINGS = [
  'SSE-C: S3 keeps no copy of your key, only a salted HMAC of it. LOSE THE KEY AND THE DATA IS GONE: nobody, not AWS, not this tool, can read those objects again. Back the key up where your application cannot delete it.',
  'SSE-C: every upload must send the SSE-C headers (algorithm AES256, the key, its MD5); the bucket policy refuses any other upload, and GET, HEAD and copy need the same key.',
  'SSE-C key rotation is yours: copy every object onto itself with the old key as the copy-source key (x-amz-copy-source-server-side-encryption-customer-*) and the new key as the target key, then retire the old key. S3 cannot do it for you.',
];
