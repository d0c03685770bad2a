import { CreateRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Plan } from '../../../src/types.js';
import type { Moto } from '../../helpers/moto.js';

/**
 * Reads an account's state back from moto with the SDK (not the aws CLI under test), so a
 * setup.sh bug cannot hide behind the same tool reading its own output.
 */
export function clients(moto: Moto, region: string) {
  const config = {
    region,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  return {
    kms: new KMSClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    iam: new IAMClient(config),
  };
}

const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** What has to exist before setup.sh runs: the roles, and the bucket unless setup creates it. */
export async function prepareAccount(moto: Moto, plan: Plan): Promise<void> {
  const { iam, s3 } = clients(moto, plan.config.region);
  for (const role of Object.values(plan.config.roles).flat()) {
    const path = role.arn.slice(role.arn.indexOf(':role') + ':role'.length, role.arn.lastIndexOf('/') + 1);
    await iam.send(
      new CreateRoleCommand({ RoleName: role.name, Path: path, AssumeRolePolicyDocument: TRUST_POLICY }),
    );
  }
  if (!plan.config.createBucket) {
    const region = plan.config.region;
    await s3.send(
      new CreateBucketCommand({
        Bucket: plan.config.bucket,
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
  }
}

export async function createKey(moto: Moto, region: string): Promise<string> {
  const { kms } = clients(moto, region);
  const created = await kms.send(
    new CreateKeyCommand({ Description: 'a key that exists before the tool runs' }),
  );
  const arn = created.KeyMetadata?.Arn;
  if (!arn) throw new Error('moto returned no key ARN');
  return arn;
}

export interface KeyState {
  arn: string;
  tags: Record<string, string>;
  rotation: boolean;
  policy: unknown;
}

export interface AccountState {
  keys: KeyState[];
  aliases: { name: string; targetKeyId: string | undefined }[];
  encryption: unknown;
  publicAccessBlock: unknown;
  bucketPolicy: unknown;
  rolePolicies: Record<string, unknown>;
}

export async function readAccount(moto: Moto, plan: Plan): Promise<AccountState> {
  const { kms, s3, iam } = clients(moto, plan.config.region);
  const Bucket = plan.config.bucket;
  const keys: KeyState[] = [];
  for (const entry of (await kms.send(new ListKeysCommand({}))).Keys ?? []) {
    const KeyId = entry.KeyId ?? '';
    const metadata = (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata;
    const tags = (await kms.send(new ListResourceTagsCommand({ KeyId }))).Tags ?? [];
    keys.push({
      arn: metadata?.Arn ?? '',
      tags: Object.fromEntries(tags.map((tag) => [tag.TagKey ?? '', tag.TagValue ?? ''])),
      rotation: (await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).KeyRotationEnabled ?? false,
      policy: JSON.parse(
        (await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }))).Policy ?? 'null',
      ),
    });
  }
  const aliases = ((await kms.send(new ListAliasesCommand({}))).Aliases ?? [])
    .filter((alias) => !alias.AliasName?.startsWith('alias/aws/'))
    .map((alias) => ({ name: alias.AliasName ?? '', targetKeyId: alias.TargetKeyId }));
  const rolePolicies: Record<string, unknown> = {};
  for (const step of plan.steps) {
    if (step.kind !== 'iam.putRolePolicy') continue;
    const found = await iam.send(
      new GetRolePolicyCommand({ RoleName: step.role.name, PolicyName: step.policyName }),
    );
    rolePolicies[step.role.name] = JSON.parse(decodeURIComponent(found.PolicyDocument ?? 'null'));
  }
  return {
    keys,
    aliases,
    encryption: (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration,
    publicAccessBlock: (await s3.send(new GetPublicAccessBlockCommand({ Bucket })))
      .PublicAccessBlockConfiguration,
    bucketPolicy: JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy ?? 'null'),
    rolePolicies,
  };
}

/**
 * moto 5.2 stores default encryption but drops BlockedEncryptionTypes when read back, so a
 * comparison with bucket-encryption.json on plain moto leaves that field out (the stand-in
 * flows read it back for real).
 */
export function withoutBlockedEncryptionTypes<T>(configuration: T): T {
  const copy = structuredClone(configuration) as { Rules?: Record<string, unknown>[] };
  for (const rule of copy.Rules ?? []) delete rule.BlockedEncryptionTypes;
  return copy as T;
}
