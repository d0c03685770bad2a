import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import type { AwsClients } from '../../src/aws/clients.js';
import { KEY_TAG_KEY } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/types.js';

/** Everything apply is responsible for, read straight from the SDK (not through apply/). */
export interface EndState {
  /** Every key tagged for the bucket and not pending deletion. */
  taggedKeys: string[];
  /** Alias name -> target key ARN, for aliases of tagged keys. */
  aliases: Record<string, string>;
  keyPolicy: unknown;
  rotationEnabled: boolean | undefined;
  location: string | undefined;
  ownership: string | undefined;
  encryption: unknown;
  publicAccessBlock: unknown;
  bucketPolicyText: string;
  bucketPolicy: { Statement: { Sid?: string }[] } & Record<string, unknown>;
  /** Role name -> decoded inline policy this tool manages. */
  rolePolicies: Record<string, unknown>;
}

export async function readEndState(clients: AwsClients, plan: Plan): Promise<EndState> {
  const { kms, s3, iam } = clients;
  const bucket = plan.config.bucket;
  const keys = (await kms.send(new ListKeysCommand({}))).Keys ?? [];
  const taggedKeys: string[] = [];
  for (const key of keys) {
    const tags = (await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags ?? [];
    const state = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.KeyState;
    if (
      state !== 'PendingDeletion' &&
      tags.some((tag) => tag.TagKey === KEY_TAG_KEY && tag.TagValue === bucket)
    ) {
      taggedKeys.push(key.KeyArn ?? '');
    }
  }
  const aliases: Record<string, string> = {};
  for (const alias of (await kms.send(new ListAliasesCommand({}))).Aliases ?? []) {
    const target = taggedKeys.find((arn) => arn.endsWith(`/${alias.TargetKeyId}`));
    if (alias.AliasName && target) aliases[alias.AliasName] = target;
  }
  const keyId = taggedKeys[0];
  const policyText = keyId
    ? (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy
    : undefined;
  const rotation = keyId ? await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })) : undefined;

  const bucketPolicyText = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '';
  const rolePolicies: Record<string, unknown> = {};
  for (const step of plan.steps) {
    if (step.kind !== 'iam.putRolePolicy') continue;
    const answer = await iam.send(
      new GetRolePolicyCommand({ RoleName: step.role.name, PolicyName: step.policyName }),
    );
    rolePolicies[step.role.name] = JSON.parse(decodeURIComponent(answer.PolicyDocument ?? ''));
  }
  return {
    taggedKeys,
    aliases,
    keyPolicy: policyText ? JSON.parse(policyText) : undefined,
    rotationEnabled: rotation?.KeyRotationEnabled,
    location: (await s3.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint,
    ownership: await s3
      .send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))
      .then((answer) => answer.OwnershipControls?.Rules?.[0]?.ObjectOwnership)
      .catch(() => undefined),
    encryption: (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })))
      .ServerSideEncryptionConfiguration?.Rules,
    publicAccessBlock: (await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))
      .PublicAccessBlockConfiguration,
    bucketPolicyText,
    bucketPolicy: JSON.parse(bucketPolicyText),
    rolePolicies,
  };
}
