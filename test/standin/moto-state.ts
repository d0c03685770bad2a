import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { PolicyDocument } from '../../src/types.js';
import { SSE_C_BLOCKED_BY_DEFAULT } from './assumptions.js';

const credentials = { accessKeyId: 'stand-in', secretAccessKey: 'stand-in' };

/** The object encryption S3 would apply or has applied: what the KMS calls S3 makes depend on. */
export interface Encryption {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse' | 'none';
  keyId?: string;
  bucketKey: boolean;
}

/** A bucket's default encryption, and whether it refuses SSE-C writes (BlockedEncryptionTypes). */
export interface DefaultEncryption extends Encryption {
  blocksSseC: boolean;
}

/**
 * Reads the state the judgement needs straight from moto (no authorization), cached until the
 * next write passes through the stand-in.
 */
export class MotoState {
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly iam: IAMClient;
  private readonly kms: (region: string) => KMSClient;
  private readonly s3: (region: string) => S3Client;

  constructor(endpoint: string) {
    const base = { endpoint, credentials, region: 'us-east-1', maxAttempts: 1 };
    this.iam = new IAMClient(base);
    const kmsClients = new Map<string, KMSClient>();
    this.kms = (region) => getOrAdd(kmsClients, region, () => new KMSClient({ ...base, region }));
    const s3Clients = new Map<string, S3Client>();
    this.s3 = (region) =>
      getOrAdd(s3Clients, region, () => new S3Client({ ...base, region, forcePathStyle: true }));
  }

  forget(): void {
    this.cache.clear();
  }

  private cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    return getOrAdd(this.cache, key, read) as Promise<T>;
  }

  /** The role's ARN with its path, or undefined when the role does not exist. */
  roleArn(roleName: string): Promise<string | undefined> {
    return this.cached(`role:${roleName}`, async () => {
      const role = await this.iam.send(new GetRoleCommand({ RoleName: roleName })).catch(absent);
      return role?.Role?.Arn;
    });
  }

  trustPolicy(roleName: string): Promise<PolicyDocument | undefined> {
    return this.cached(`trust:${roleName}`, async () => {
      const role = await this.iam.send(new GetRoleCommand({ RoleName: roleName })).catch(absent);
      const document = role?.Role?.AssumeRolePolicyDocument;
      return document ? (JSON.parse(decodeURIComponent(document)) as PolicyDocument) : undefined;
    });
  }

  /** Inline and attached managed policies of a role: what IAM evaluates for its sessions. */
  identityPolicies(roleName: string): Promise<PolicyDocument[]> {
    return this.cached(`identity:${roleName}`, async () => {
      const names = await this.iam.send(new ListRolePoliciesCommand({ RoleName: roleName })).catch(absent);
      const inline = await Promise.all(
        (names?.PolicyNames ?? []).map(async (PolicyName) => {
          const policy = await this.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName }));
          return parseDocument(policy.PolicyDocument);
        }),
      );
      const attached = await this.iam
        .send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))
        .catch(absent);
      const managed = await Promise.all(
        (attached?.AttachedPolicies ?? []).map(async ({ PolicyArn }) => {
          const policy = await this.iam.send(new GetPolicyCommand({ PolicyArn }));
          const version = await this.iam.send(
            new GetPolicyVersionCommand({ PolicyArn, VersionId: policy.Policy?.DefaultVersionId }),
          );
          return parseDocument(version.PolicyVersion?.Document);
        }),
      );
      return [...inline, ...managed];
    });
  }

  bucketPolicy(bucket: string, region: string): Promise<PolicyDocument | undefined> {
    return this.cached(`bucket-policy:${bucket}`, async () => {
      const policy = await this.s3(region)
        .send(new GetBucketPolicyCommand({ Bucket: bucket }))
        .catch(absent);
      return policy?.Policy ? (JSON.parse(policy.Policy) as PolicyDocument) : undefined;
    });
  }

  /** Default encryption: SSE-S3 when none is set, as AWS applies to every bucket. */
  defaultEncryption(bucket: string, region: string): Promise<DefaultEncryption> {
    return this.cached(`bucket-encryption:${bucket}`, async () => {
      const answer = await this.s3(region)
        .send(new GetBucketEncryptionCommand({ Bucket: bucket }))
        .catch(absent);
      const rule = answer?.ServerSideEncryptionConfiguration?.Rules?.[0];
      const byDefault = rule?.ApplyServerSideEncryptionByDefault;
      const blocked = rule?.BlockedEncryptionTypes?.EncryptionType;
      // Assumption (assumptions.ts): a bucket that names no setting is a new one, SSE-C blocked.
      const blocksSseC = blocked === undefined ? SSE_C_BLOCKED_BY_DEFAULT : !blocked.includes('NONE');
      if (!byDefault?.SSEAlgorithm) return { algorithm: 'AES256', bucketKey: false, blocksSseC };
      return {
        algorithm: byDefault.SSEAlgorithm as Encryption['algorithm'],
        ...(byDefault.KMSMasterKeyID ? { keyId: byDefault.KMSMasterKeyID } : {}),
        bucketKey: rule?.BucketKeyEnabled === true,
        blocksSseC,
      };
    });
  }

  /** An object's encryption as stored, or undefined when there is no such object. */
  async objectEncryption(bucket: string, key: string, region: string, versionId?: string) {
    const head = await this.s3(region)
      .send(
        new HeadObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
      )
      .catch(absent);
    if (!head) return undefined;
    return {
      algorithm: (head.ServerSideEncryption ?? 'none') as Encryption['algorithm'],
      ...(head.SSEKMSKeyId ? { keyId: head.SSEKMSKeyId } : {}),
      bucketKey: head.BucketKeyEnabled === true,
    } satisfies Encryption;
  }

  /** A key id, key ARN, alias name or alias ARN -> the key's ARN and policy, or undefined. */
  key(keyId: string, region: string): Promise<{ arn: string; policy?: PolicyDocument } | undefined> {
    return this.cached(`key:${region}:${keyId}`, async () => {
      const described = await this.kms(region)
        .send(new DescribeKeyCommand({ KeyId: keyId }))
        .catch(absent);
      const arn = described?.KeyMetadata?.Arn;
      if (!arn) return undefined;
      const policy = await this.kms(region)
        .send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }))
        .catch(absent);
      return { arn, ...(policy?.Policy ? { policy: JSON.parse(policy.Policy) as PolicyDocument } : {}) };
    });
  }
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  const found = map.get(key);
  if (found !== undefined) return found;
  const made = make();
  map.set(key, made);
  return made;
}

const NOT_FOUND = new Set([
  'NoSuchEntity',
  'NoSuchEntityException',
  'NoSuchBucket',
  'NoSuchBucketPolicy',
  'NotFound',
  'NoSuchKey',
  'NotFoundException',
  'ServerSideEncryptionConfigurationNotFoundError',
]);

function absent(error: { name?: string; $metadata?: { httpStatusCode?: number } }): undefined {
  if (NOT_FOUND.has(error.name ?? '') || error.$metadata?.httpStatusCode === 404) return undefined;
  throw error;
}

function parseDocument(text: string | undefined): PolicyDocument {
  if (!text) throw new Error('stand-in: a policy without a document');
  const decoded = text.trimStart().startsWith('{') ? text : decodeURIComponent(text);
  return JSON.parse(decoded) as PolicyDocument;
}
