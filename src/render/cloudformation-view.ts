import { guardrailAdministrators } from '../plan/bucket-policy.js';
import { refersToNewKey, splitAtNewKeyArn } from '../plan/key-reference.js';
import { schemeTraits } from '../plan/schemes.js';
import type { KeyReference, Plan, RoleKind } from '../types.js';
import type { PlanDocuments } from './documents.js';
import { shellQuote } from './shell-quote.js';
import { emitYaml, type YamlValue } from './yaml-emit.js';

/*
 * cloudformation/template.yaml as data: the Plan's documents laid out as resources, then
 * emitted as YAML. Intrinsics are long-form (`Fn::GetAtt`, `Ref`), so any YAML parser reads
 * the template; the short `!GetAtt` tags would need CloudFormation's own loader.
 */

export const CFN_LOGICAL_IDS = {
  key: 'EncryptionKey',
  alias: 'EncryptionKeyAlias',
  bucket: 'Bucket',
  bucketPolicy: 'BucketPolicy',
} as const;

const NEW_KEY_ARN: YamlValue = { 'Fn::GetAtt': [CFN_LOGICAL_IDS.key, 'Arn'] };

/** A key's ARN in the template: an existing key's literal ARN, or the new key's GetAtt. */
function keyArnValue(key: KeyReference): YamlValue {
  return key.kind === 'existing' ? key.arn : NEW_KEY_ARN;
}

// A deleted stack must not take the key (and every object it encrypts) or the bucket with it.
const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' } as const;

const KIND_IDS: Record<RoleKind, string> = {
  app: 'App',
  operator: 'Operator',
  auditor: 'Auditor',
  keyAdmin: 'KeyAdmin',
  reencrypt: 'Reencrypt',
};

/**
 * A JSON document with the key-ARN placeholder resolved: a string that is the placeholder
 * becomes `keyArn`; one that only contains it becomes `Fn::Sub`, its other `${` escaped as
 * `${!` so an IAM policy variable such as `${aws:username}` stays literal.
 */
export function withKeyArn(value: unknown, keyArn: YamlValue | undefined): YamlValue {
  if (typeof value === 'string') {
    const parts = splitAtNewKeyArn(value);
    if (keyArn === undefined || parts.length === 1) return value;
    if (parts.length === 2 && parts.every((part) => part === '')) return keyArn;
    const text = parts.map((part) => part.replaceAll('${', '${!')).join(`\${${CFN_LOGICAL_IDS.key}.Arn}`);
    return { 'Fn::Sub': text };
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => withKeyArn(item, keyArn));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withKeyArn(item, keyArn)]));
  }
  throw new Error(`not a JSON value: ${String(value)}`);
}

/** Logical ids are letters and digits only; role names may hold `+=,.@_-`. */
function rolePolicyIds(entries: { kind: RoleKind; roleName: string }[]): string[] {
  const used = new Set<string>();
  return entries.map(({ kind, roleName }) => {
    const words = roleName.split(/[^A-Za-z0-9]+/).map((word) => word.charAt(0).toUpperCase() + word.slice(1));
    const base = `${KIND_IDS[kind]}Policy${words.join('')}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}${n}`;
    used.add(id);
    return id;
  });
}

export function cloudFormationTemplate(plan: Plan, documents: PlanDocuments): YamlValue {
  const { config } = plan;
  const { bucket, rolePolicies } = plan.desired;
  const newKey = plan.desired.key?.kind === 'new' ? plan.desired.key : undefined;
  const keyArn = plan.keyArn && keyArnValue(plan.keyArn);
  if (newKey && refersToNewKey(newKey.policy)) {
    // A key's policy cannot name the key's own ARN: CloudFormation would see a circular dependency.
    throw new Error('the key policy refers to the key ARN placeholder; CloudFormation cannot render that');
  }
  const { encryption, publicAccessBlock: block } = bucket;

  const resources: Record<string, YamlValue> = {};
  if (newKey) {
    if (!documents.keyPolicy) throw new Error('a plan for a new key has no key policy');
    resources[CFN_LOGICAL_IDS.key] = {
      Type: 'AWS::KMS::Key',
      ...RETAIN,
      Properties: {
        Description: newKey.description,
        EnableKeyRotation: true,
        RotationPeriodInDays: newKey.rotationDays,
        KeyPolicy: withKeyArn(documents.keyPolicy.value, undefined),
        Tags: newKey.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
      },
    };
    resources[CFN_LOGICAL_IDS.alias] = {
      Type: 'AWS::KMS::Alias',
      Properties: { AliasName: newKey.alias, TargetKeyId: { Ref: CFN_LOGICAL_IDS.key } },
    };
  }
  // CloudFormation manages a bucket's encryption, public access block and policy only as
  // properties of a bucket it owns (see cloudformation/README.md for an existing bucket).
  if (bucket.createdByThisPlan) {
    resources[CFN_LOGICAL_IDS.bucket] = {
      Type: 'AWS::S3::Bucket',
      ...RETAIN,
      Properties: {
        BucketName: bucket.name,
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: encryption.algorithm,
                ...(encryption.key !== undefined ? { KMSMasterKeyID: keyArnValue(encryption.key) } : {}),
              },
              BucketKeyEnabled: encryption.bucketKeyEnabled,
              BlockedEncryptionTypes: { EncryptionType: [...encryption.blockedEncryptionTypes] },
            },
          ],
        },
        PublicAccessBlockConfiguration: { ...block },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      },
    };
    resources[CFN_LOGICAL_IDS.bucketPolicy] = {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: CFN_LOGICAL_IDS.bucket },
        PolicyDocument: withKeyArn(documents.bucketPolicy.value, keyArn),
      },
    };
  }
  const ids = rolePolicyIds(rolePolicies.map((each) => ({ kind: each.roleKind, roleName: each.role.name })));
  rolePolicies.forEach((each, index) => {
    const document = documents.rolePolicies[each.roleKind];
    if (!document) throw new Error(`no policy document for role kind ${each.roleKind}`);
    resources[ids[index] ?? ''] = {
      Type: 'AWS::IAM::RolePolicy',
      Properties: {
        PolicyName: each.policyName,
        RoleName: each.role.name,
        PolicyDocument: withKeyArn(document.value, keyArn),
      },
    };
  });

  const outputs: Record<string, YamlValue> = {
    BucketName: {
      Description: 'The protected bucket.',
      Value: bucket.createdByThisPlan ? { Ref: CFN_LOGICAL_IDS.bucket } : bucket.name,
    },
  };
  if (keyArn !== undefined) {
    outputs.KeyArn = {
      Description: 'The full ARN of the bucket key; the upload snippets need it.',
      Value: keyArn,
    };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `create-encrypted-bucket: s3://${config.bucket} in ${config.region} (${config.scheme}, ${config.enforcement})`,
    Resources: resources,
    Outputs: outputs,
  };
}

/** A stack name from the bucket's: letters, digits and `-`, starting with a letter. */
function stackName(bucket: string): string {
  return `encrypted-bucket-${bucket.replace(/[^A-Za-z0-9-]/g, '-')}`.slice(0, 128);
}

/** The view for templates/cloudformation/: the template body as YAML text, and README facts. */
export function cloudFormationView(plan: Plan, documents: PlanDocuments) {
  const { config } = plan;
  const { key } = plan.desired;
  const newKey = key?.kind === 'new' ? key : undefined;
  const template = cloudFormationTemplate(plan, documents);
  const resources = (
    template as { Resources: Record<string, { Type: string; Properties: Record<string, YamlValue> }> }
  ).Resources;
  const rolePolicies = Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::RolePolicy')
    .map(([logicalId, resource]) => ({
      logicalId,
      policyName: String(resource.Properties.PolicyName),
      roleName: String(resource.Properties.RoleName),
    }));
  return {
    // CloudFormation refuses a template without resources: then only the README is written.
    hasResources: Object.keys(resources).length > 0,
    // The template file adds the final newline.
    body: emitYaml(template).slice(0, -1),
    bucket: config.bucket,
    region: config.region,
    accountId: config.accountId,
    createBucket: config.createBucket,
    newKey: newKey !== undefined,
    existingKey: key?.kind === 'existing',
    kms: key !== undefined,
    sseC: schemeTraits(plan.config.scheme).bucketLayer === 'sse-c',
    keyAlias: newKey?.alias ?? '',
    rotationDays: newKey?.rotationDays ?? 0,
    existingKeyArn: key?.kind === 'existing' ? key.arn : '',
    rolePolicies,
    putsRolePolicies: rolePolicies.length > 0,
    retained: newKey !== undefined || config.createBucket,
    // The principals the key and bucket policies let change what the stack manages.
    guarded: newKey !== undefined || config.createBucket,
    administrators: guardrailAdministrators(config),
    // README.md is Markdown: values print as they are, except in its shell command.
    shell: { region: shellQuote(config.region), stackName: shellQuote(stackName(config.bucket)) },
  };
}
