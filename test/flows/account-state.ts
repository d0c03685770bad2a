// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Terraform text, not a JS template.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
} from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { KEY_ARN_PLACEHOLDER } from '../../src/types.js';
import { parseYamlAll } from '../render/cloudformation-parse.js';
import { type CfnResource, type CfnTemplate, unsubstitute } from '../render/cloudformation-state.js';
import { type Hcl, parseHcl, unescapeTemplate } from '../render/helpers/hcl.js';

/*
 * The account's encryption state as comparable data, from each of four sources: the account
 * itself (read from moto, no authorization, so the stand-in's decisions cannot colour it),
 * terraform/main.tf (parsed) and cloudformation/template.yaml (parsed). Every source names the
 * bucket's key by one token, whatever its ARN or reference, so that two accounts (or an
 * account and a template) compare equal when they hold the same documents and settings.
 */

/** What every source's key ARN (or reference to the new key) becomes. */
export const KEY = '<THE KEY>';

export interface DefaultEncryption {
  algorithm: string;
  key?: string;
  bucketKey: boolean;
  blockedEncryptionTypes: string[];
}

export interface EncryptionState {
  /** Absent where the source holds none of the bucket's settings (CloudFormation, existing bucket). */
  bucket?: {
    policy: unknown;
    encryption: DefaultEncryption;
    publicAccessBlock: Record<string, boolean>;
  };
  /** Only the key this tool creates; an existing key is the owner's. */
  key?: {
    policy: unknown;
    rotation: boolean;
    /** The templates say it; moto does not echo it, so an account reads it as undefined. */
    rotationDays?: number;
    alias: string;
    aliasTarget: string;
  };
  /** Each role's inline policies, by role name. */
  rolePolicies: Record<string, { name: string; document: unknown }[]>;
}

/** What the account holds for `roles`, the `alias` of a new key, and the bucket; key ARNs in `keyArns` (and the new key's) become KEY. */
export async function accountState(
  motoEndpoint: string,
  target: { bucket: string; region: string; roles: string[]; alias?: string; keyArns?: string[] },
): Promise<EncryptionState> {
  const base = {
    endpoint: motoEndpoint,
    credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' },
    maxAttempts: 1,
  };
  const s3 = new S3Client({ ...base, region: target.region, forcePathStyle: true });
  const kms = new KMSClient({ ...base, region: target.region });
  const iam = new IAMClient({ ...base, region: 'us-east-1' });
  try {
    const Bucket = target.bucket;
    const keyArns = [...(target.keyArns ?? [])];
    let key: EncryptionState['key'];
    if (target.alias) {
      const alias = ((await kms.send(new ListAliasesCommand({}))).Aliases ?? []).find(
        (entry) => entry.AliasName === target.alias,
      );
      if (alias?.TargetKeyId) {
        const KeyId = alias.TargetKeyId;
        const metadata = (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata;
        keyArns.push(metadata?.Arn ?? '', metadata?.KeyId ?? '');
        const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId }));
        const policy = await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }));
        key = {
          policy: JSON.parse(policy.Policy ?? 'null'),
          rotation: rotation.KeyRotationEnabled === true,
          ...(rotation.RotationPeriodInDays ? { rotationDays: rotation.RotationPeriodInDays } : {}),
          alias: alias.AliasName ?? '',
          aliasTarget: KeyId,
        };
      }
    }
    const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket })).catch(absent))
      ?.ServerSideEncryptionConfiguration?.Rules?.[0];
    const block = (await s3.send(new GetPublicAccessBlockCommand({ Bucket })).catch(absent))
      ?.PublicAccessBlockConfiguration;
    const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket })).catch(absent))?.Policy;
    const rolePolicies: EncryptionState['rolePolicies'] = {};
    for (const RoleName of target.roles) {
      const names = (await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? [];
      if (names.length > 0) rolePolicies[RoleName] = [];
      for (const PolicyName of names) {
        const found = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
        rolePolicies[RoleName]?.push({
          name: PolicyName,
          document: JSON.parse(decodeURIComponent(found.PolicyDocument ?? 'null')),
        });
      }
    }
    return tokenised(
      {
        bucket: {
          policy: JSON.parse(policy ?? 'null'),
          encryption: {
            algorithm: rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'none',
            ...(rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID
              ? { key: rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID }
              : {}),
            bucketKey: rule?.BucketKeyEnabled === true,
            blockedEncryptionTypes: rule?.BlockedEncryptionTypes?.EncryptionType ?? [],
          },
          publicAccessBlock: { ...block },
        },
        ...(key ? { key } : {}),
        rolePolicies,
      },
      keyArns,
    );
  } finally {
    for (const client of [s3, kms, iam]) client.destroy();
  }
}

/** A setting the bucket does not have reads as absent; a missing bucket still throws. */
function absent(error: { name?: string }): undefined {
  const missing = [
    'ServerSideEncryptionConfigurationNotFoundError',
    'NoSuchPublicAccessBlockConfiguration',
    'NoSuchBucketPolicy',
  ];
  if (missing.includes(error.name ?? '')) return undefined;
  throw error;
}

const NEW_KEY_ARN = '${aws_kms_key.this.arn}';

/** A heredoc or quoted policy of main.tf back to the document (escapes undone, the new key as KEY). */
function hclDocument(text: string, locals: Hcl): unknown {
  // `local.NAME`, or replace(local.NAME, "<KEY_ARN>", the new key's ARN): the placeholder is KEY either way.
  const resolved = /^\$\{(?:local\.(\w+)|replace\(local\.(\w+), "<KEY_ARN>", aws_kms_key\.this\.arn\))\}$/
    .exec(text)
    ?.slice(1)
    .find(Boolean);
  const body = resolved ? (locals[resolved] as string) : text;
  return JSON.parse(unescapeTemplate(body.replaceAll(NEW_KEY_ARN, KEY)));
}

function single(resources: Hcl, type: string, name = 'this'): Hcl | undefined {
  const blocks = resources[type]?.[name] as Hcl[] | undefined;
  if (blocks && blocks.length !== 1) throw new Error(`${type}.${name}: ${blocks.length} blocks`);
  return blocks?.[0];
}

/** What terraform/main.tf in `dir` describes; `keyArns` (an existing key's) become KEY. */
export async function terraformState(dir: string, keyArns: string[] = []): Promise<EncryptionState> {
  const main = await parseHcl('main.tf', readFileSync(join(dir, 'terraform/main.tf'), 'utf8'));
  const resources: Hcl = main.resource ?? {};
  const locals: Hcl = main.locals?.[0] ?? {};
  const key = single(resources, 'aws_kms_key');
  const alias = single(resources, 'aws_kms_alias');
  const encryption = single(resources, 'aws_s3_bucket_server_side_encryption_configuration')?.rule[0];
  const byDefault = encryption?.apply_server_side_encryption_by_default[0];
  const block = single(resources, 'aws_s3_bucket_public_access_block');
  const policy = single(resources, 'aws_s3_bucket_policy');
  const rolePolicies: EncryptionState['rolePolicies'] = {};
  for (const blocks of Object.values(resources.aws_iam_role_policy ?? {}) as Hcl[][]) {
    for (const resource of blocks) {
      rolePolicies[resource.role] ??= [];
      rolePolicies[resource.role]?.push({
        name: resource.name,
        document: hclDocument(resource.policy, locals),
      });
    }
  }
  return tokenised(
    {
      ...(encryption && block && policy
        ? {
            bucket: {
              policy: hclDocument(policy.policy, locals),
              encryption: {
                algorithm: byDefault.sse_algorithm,
                ...(byDefault.kms_master_key_id ? { key: byDefault.kms_master_key_id } : {}),
                bucketKey: encryption.bucket_key_enabled,
                blockedEncryptionTypes: encryption.blocked_encryption_types,
              },
              publicAccessBlock: {
                BlockPublicAcls: block.block_public_acls,
                IgnorePublicAcls: block.ignore_public_acls,
                BlockPublicPolicy: block.block_public_policy,
                RestrictPublicBuckets: block.restrict_public_buckets,
              },
            },
          }
        : {}),
      // An alias without a key still shows, so that "declares no key or alias" is checked.
      ...(key || alias
        ? {
            key: {
              policy: key ? hclDocument(key.policy, locals) : undefined,
              rotation: key?.enable_key_rotation === true,
              ...(key?.enable_key_rotation ? { rotationDays: key.rotation_period_in_days } : {}),
              alias: alias?.name,
              aliasTarget: alias?.target_key_id === '${aws_kms_key.this.key_id}' ? KEY : alias?.target_key_id,
            },
          }
        : {}),
      rolePolicies,
    },
    [NEW_KEY_ARN, ...keyArns],
  );
}

function ofType(template: CfnTemplate, type: string): CfnResource[] {
  return Object.values(template.Resources).filter((resource) => resource.Type === type);
}

/** What cloudformation/template.yaml in `dir` describes (nothing when there is none). */
export function cloudFormationState(dir: string, keyArns: string[] = []): EncryptionState {
  let text: string;
  try {
    text = readFileSync(join(dir, 'cloudformation/template.yaml'), 'utf8');
  } catch {
    return { rolePolicies: {} };
  }
  const [template] = parseYamlAll([text]) as [CfnTemplate];
  const [key] = ofType(template, 'AWS::KMS::Key');
  const [alias] = ofType(template, 'AWS::KMS::Alias');
  const [bucket] = ofType(template, 'AWS::S3::Bucket');
  const [bucketPolicy] = ofType(template, 'AWS::S3::BucketPolicy');
  const props = (bucket?.Properties ?? {}) as Record<string, Record<string, unknown>>;
  const [rule] = (props.BucketEncryption?.ServerSideEncryptionConfiguration ?? []) as Record<
    string,
    Record<string, unknown>
  >[];
  const rolePolicies: EncryptionState['rolePolicies'] = {};
  for (const resource of ofType(template, 'AWS::IAM::RolePolicy')) {
    const role = resource.Properties.RoleName as string;
    rolePolicies[role] ??= [];
    rolePolicies[role]?.push({
      name: resource.Properties.PolicyName as string,
      document: unsubstitute(resource.Properties.PolicyDocument),
    });
  }
  const isNewKey = (value: unknown) => JSON.stringify(value) === JSON.stringify({ Ref: 'EncryptionKey' });
  return tokenised(
    {
      ...(bucket && bucketPolicy && rule
        ? {
            bucket: {
              policy: unsubstitute(bucketPolicy.Properties.PolicyDocument),
              encryption: {
                algorithm: rule.ServerSideEncryptionByDefault?.SSEAlgorithm as string,
                ...(rule.ServerSideEncryptionByDefault?.KMSMasterKeyID
                  ? { key: unsubstitute(rule.ServerSideEncryptionByDefault.KMSMasterKeyID) as string }
                  : {}),
                bucketKey: rule.BucketKeyEnabled as unknown as boolean,
                blockedEncryptionTypes: (rule.BlockedEncryptionTypes?.EncryptionType ?? []) as string[],
              },
              publicAccessBlock: props.PublicAccessBlockConfiguration as Record<string, boolean>,
            },
          }
        : {}),
      ...(key || alias
        ? {
            key: {
              policy: unsubstitute(key?.Properties.KeyPolicy),
              rotation: key?.Properties.EnableKeyRotation === true,
              ...(key?.Properties.EnableKeyRotation === true
                ? { rotationDays: key.Properties.RotationPeriodInDays as number }
                : {}),
              alias: alias?.Properties.AliasName as string,
              aliasTarget: isNewKey(alias?.Properties.TargetKeyId)
                ? KEY
                : (alias?.Properties.TargetKeyId as string),
            },
          }
        : {}),
      rolePolicies,
    },
    keyArns,
  );
}

/** The state with every key ARN in `keyArns`, and the placeholder, as KEY. */
function tokenised(state: EncryptionState, keyArns: string[]): EncryptionState {
  for (const policies of Object.values(state.rolePolicies)) {
    policies.sort((a, b) => a.name.localeCompare(b.name));
  }
  let text = JSON.stringify(state).replaceAll(KEY_ARN_PLACEHOLDER, KEY);
  for (const arn of keyArns.filter((candidate) => candidate !== '')) text = text.replaceAll(arn, KEY);
  return JSON.parse(text) as EncryptionState;
}

/** The state without the rotation period, which moto does not echo: for comparing with an account. */
export function withoutRotationPeriod(state: EncryptionState): EncryptionState {
  if (!state.key) return state;
  const { rotationDays: _omitted, ...key } = state.key;
  return { ...state, key };
}

export interface FourViews {
  setup: EncryptionState;
  apply: EncryptionState;
  terraform: EncryptionState;
  cloudFormation: EncryptionState;
}

/**
 * The four views hold the same documents and settings. CloudFormation holds no S3 resource on
 * an existing bucket (its README says why), and no source declares an existing key.
 */
export function expectEquivalent(
  views: FourViews,
  plan: { createBucket: boolean; newKey: boolean },
  /** A known difference of apply's, stated as what it makes of setup.sh's state. */
  applied: (setup: EncryptionState) => EncryptionState = (setup) => setup,
) {
  const { setup, apply, terraform, cloudFormation } = views;
  expect(Object.keys(setup.rolePolicies).length, 'role policies').toBeGreaterThan(0);
  expect(setup.bucket?.policy, 'bucket policy').toMatchObject({ Statement: expect.any(Array) });
  expect(apply, 'apply = setup.sh').toEqual(applied(setup));
  // The period, which moto does not echo, between the two templates.
  expect(cloudFormation.key, 'CloudFormation key = Terraform key').toEqual(terraform.key);
  expect(withoutRotationPeriod(terraform), 'Terraform = setup.sh').toEqual(setup);
  const { bucket, ...rest } = cloudFormation;
  expect(withoutRotationPeriod(rest), 'CloudFormation = setup.sh').toEqual(
    withoutRotationPeriod({ ...setup, bucket: undefined }),
  );
  if (plan.createBucket) expect(bucket, 'CloudFormation bucket = setup.sh').toEqual(setup.bucket);
  else expect(bucket, 'CloudFormation on an existing bucket').toBeUndefined();
  if (plan.newKey) {
    expect(terraform.key?.rotationDays, 'rotation period').toEqual(expect.any(Number));
    expect(setup.key?.aliasTarget, 'alias target').toBe(KEY);
  } else {
    expect(setup.key, 'no key of this tool').toBeUndefined();
    expect(terraform.key, 'Terraform declares no key or alias').toBeUndefined();
  }
}
