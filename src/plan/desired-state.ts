import type {
  BucketEncryption,
  Config,
  DesiredKey,
  DesiredRolePolicy,
  DesiredState,
  KeyReference,
  PolicyDocument,
  RoleKind,
} from '../types.js';
import { schemeTraits } from './schemes.js';

/** The tag a created key carries, so a re-run finds it again even if its alias was never made. */
export const KEY_TAG_KEY = 'create-encrypted-bucket:bucket';

export const ROLE_KINDS: readonly RoleKind[] = ['app', 'operator', 'auditor', 'keyAdmin', 'reencrypt'];

/** The documents buildPlan built once; the desired state holds these same objects. */
export interface PlanDocumentsBuilt {
  keyArn: KeyReference | undefined;
  keyPolicy: PolicyDocument | undefined;
  bucketPolicy: PolicyDocument;
  rolePolicies: Partial<Record<RoleKind, PolicyDocument>>;
  rolePolicyNames: Record<RoleKind, string>;
}

/** What the account must hold: the bucket, the key, the role policies. Pure. */
export function buildDesiredState(config: Config, built: PlanDocumentsBuilt): DesiredState {
  const key = desiredKey(config, built);
  return {
    scheme: config.scheme,
    enforcement: config.enforcement,
    bucket: {
      name: config.bucket,
      region: config.region,
      createdByThisPlan: config.createBucket,
      encryption: bucketEncryption(config, built.keyArn),
      publicAccessBlock: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
      policy: built.bucketPolicy,
    },
    ...(key ? { key } : {}),
    rolePolicies: ROLE_KINDS.flatMap((kind) => rolePoliciesOf(config, kind, built)),
  };
}

function desiredKey(config: Config, { keyArn, keyPolicy }: PlanDocumentsBuilt): DesiredKey | undefined {
  const choice = config.key;
  if (keyArn === undefined || choice === undefined) return undefined;
  if (choice.kind === 'existing') return { kind: 'existing', arn: choice.arn };
  if (!keyPolicy) throw new Error('a plan for a new key has no key policy');
  const lookupTag = { Key: KEY_TAG_KEY, Value: config.bucket };
  return {
    kind: 'new',
    alias: choice.alias,
    rotationDays: choice.rotationDays,
    description: `Encrypts s3://${config.bucket} (made by create-encrypted-bucket)`,
    tags: [lookupTag],
    lookupTag,
    policy: keyPolicy,
  };
}

function bucketEncryption(config: Config, keyArn: KeyReference | undefined): BucketEncryption {
  const traits = schemeTraits(config.scheme);
  // The SSE-C switch is set explicitly either way (schemes.ts): blocked, with the bucket
  // policy's SSE-C deny as a second layer, or allowed for the SSE-C scheme.
  const blockedEncryptionTypes = traits.blockedEncryptionTypes;
  return traits.bucketLayer === 'sse-kms' && keyArn
    ? { algorithm: 'aws:kms', key: keyArn, bucketKeyEnabled: true, blockedEncryptionTypes }
    : { algorithm: 'AES256', bucketKeyEnabled: false, blockedEncryptionTypes };
}

function rolePoliciesOf(config: Config, kind: RoleKind, built: PlanDocumentsBuilt): DesiredRolePolicy[] {
  const policy = built.rolePolicies[kind];
  if (!policy) return [];
  return (
    config.roles[kind]
      // The principal running apply keeps the permissions it has: it may be a user or an SSO role.
      .filter((role) => !role.addedAsCaller)
      .map((role) => ({ role, roleKind: kind, policyName: built.rolePolicyNames[kind], policy }))
  );
}
