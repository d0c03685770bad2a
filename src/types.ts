/*
 * The stage types of the pipeline, in the order data flows through them.
 *
 *  flags ─┐
 *         ├─> Answers ──parseConfig──> Config ──buildPlan──> Plan ─┬─ applyPlan(plan, aws) ──> ApplyResult ─┐
 *  wizard ┘     (cli/)                (config/)             (plan/)  │   (apply/: discover, diff, write)     ├─> verify ──> Report
 *                                                                   └─ renderPlan(plan) ──> files ──────────┘   (verify/)
 *                                                                       (render/: handlebars, pure)
 */

import type { CreateJobCommandInput } from '@aws-sdk/client-s3-control';

/** Raw answers as flags or prompts give them: strings and lists, not yet validated. */
export interface Answers {
  bucket?: string;
  region?: string;
  accountId?: string;
  scheme?: string;
  appRoles?: string[];
  operatorRoles?: string[];
  auditorRoles?: string[];
  keyAdminRoles?: string[];
  /** The re-encryption role (UpdateObjectEncryption / Batch Operations); consumed by plan/. */
  reencryptRoles?: string[];
  /** An application role that apply and `verify` assume to prove access (name or ARN). */
  verifyRole?: string;
  keyAlias?: string;
  existingKey?: string;
  rotationDays?: string;
  enforcement?: string;
  createBucket?: boolean;
  requestsPerMonth?: string;
  mode?: 'render' | 'apply';
  renderDir?: string;
  overwrite?: boolean;
}

export type Scheme = 'sse-kms' | 'sse-s3' | 'sse-c' | 'client-kms' | 'client-app-key';
export type Enforcement = 'strict' | 'compatible';
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';
export type RoleKind = 'app' | 'operator' | 'auditor' | 'keyAdmin' | 'reencrypt';

/** An IAM role in the target account, by name (with its path) and full ARN. */
export interface RoleRef {
  name: string;
  arn: string;
  /**
   * Set on the key administrator apply adds for the principal running it: its ARN enters the
   * key and bucket policies, but the tool puts no inline policy on it (it may be an IAM user or
   * an SSO role, which IAM will not let anyone change).
   */
  addedAsCaller?: true;
}

export type KeyChoice =
  | { kind: 'new'; alias: string; rotationDays: number }
  | { kind: 'existing'; arn: string };

/** Validated, normalised input: every value here is known to be well-formed. */
export interface Config {
  bucket: string;
  region: string;
  partition: Partition;
  accountId: string;
  scheme: Scheme;
  roles: Record<RoleKind, RoleRef[]>;
  /** Absent for the schemes that use no KMS key (sse-s3, sse-c, client-app-key). */
  key?: KeyChoice;
  enforcement: Enforcement;
  createBucket: boolean;
  requestsPerMonth: number;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS: string | string[] } | { Service: string | string[] };
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** A role trust policy: IAM refuses one with a Resource, which PolicyStatement requires. */
export interface TrustPolicyDocument {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Principal: { Service: string }; Action: string }[];
}

/** S3's native switch for customer-provided keys: `SSE-C` blocks them, `NONE` allows them. */
export type BlockedEncryptionType = 'SSE-C' | 'NONE';

export interface Tag {
  Key: string;
  Value: string;
}

/**
 * A key-ARN reference. A new key's ARN is only known once KMS creates it, so documents that
 * need it carry this placeholder, and each executor resolves it (apply after CreateKey,
 * setup.sh at run time, Terraform as `aws_kms_key.this.arn`).
 */
export const KEY_ARN_PLACEHOLDER = '<KEY_ARN>';

export interface BucketEncryption {
  algorithm: 'aws:kms' | 'AES256';
  /** Full key ARN (or the placeholder) for aws:kms. */
  keyArn?: string;
  bucketKeyEnabled: boolean;
  /** Always set explicitly: `['SSE-C']`, or `['NONE']` for the SSE-C scheme (plan/schemes.ts). */
  blockedEncryptionTypes: BlockedEncryptionType[];
}

export interface PublicAccessBlock {
  BlockPublicAcls: true;
  IgnorePublicAcls: true;
  BlockPublicPolicy: true;
  RestrictPublicBuckets: true;
}

/** One unit of work; apply/ maps each kind to an executor, render/ to shell and Terraform. */
export type PlanStep =
  | { kind: 's3.createBucket'; bucket: string; region: string }
  | { kind: 'kms.createKey'; description: string; tags: Tag[]; policy: PolicyDocument }
  | { kind: 'kms.createAlias'; alias: string }
  | { kind: 'kms.enableRotation'; rotationDays: number }
  | { kind: 'kms.putKeyPolicy'; policy: PolicyDocument }
  | { kind: 's3.putBucketEncryption'; bucket: string; encryption: BucketEncryption }
  | { kind: 's3.putPublicAccessBlock'; bucket: string; block: PublicAccessBlock }
  | { kind: 's3.putBucketPolicy'; bucket: string; policy: PolicyDocument }
  | {
      kind: 'iam.putRolePolicy';
      role: RoleRef;
      roleKind: RoleKind;
      policyName: string;
      policy: PolicyDocument;
    };

export type PlanStepKind = PlanStep['kind'];

/** One row of the access table shown to the user and written to the output README. */
export interface AccessRow {
  who: string;
  principals: string[];
  may: string;
  mustNever: string;
}

export interface CostEstimate {
  keysPerMonthUsd: number;
  requestsPerMonth: number;
  kmsRequestsWithoutBucketKey: number;
  kmsRequestsWithBucketKey: number;
  monthlyUsdWithoutBucketKey: number;
  monthlyUsdWithBucketKey: number;
  yearlyUsdWithBucketKey: number;
}

export interface Plan {
  config: Config;
  /** The key ARN when it is known (existing key); the placeholder for a key still to create. */
  keyArn?: string;
  keyTags: Tag[];
  steps: PlanStep[];
  /** Documents by name, the same objects the steps carry; rendered into policies/. */
  documents: {
    keyPolicy?: PolicyDocument;
    bucketPolicy: PolicyDocument;
    rolePolicies: Partial<Record<RoleKind, PolicyDocument>>;
    /** The re-encryption role's trust policy (S3 Batch Operations may assume it); rendered, never applied. */
    reencryptTrustPolicy?: TrustPolicyDocument;
    /**
     * The S3 Batch Operations jobs that move objects written before encryption onto the key
     * (an UpdateObjectEncryption job, and copy jobs for unencrypted objects), run as the
     * re-encryption role: rendered for start-jobs.sh, the same requests `reencrypt --batch` sends.
     */
    reencryptJobs?: ReencryptJob[];
    /**
     * An AWS Organizations service control policy that stops IAM administrators from taking
     * over the named roles. Rendered for review, never applied.
     */
    optionalScp?: PolicyDocument;
  };
  /** The inline policy name this tool puts on each role of a kind. */
  rolePolicyNames: Record<RoleKind, string>;
  accessTable: AccessRow[];
  cost: CostEstimate;
  warnings: string[];
}

/** One Batch Operations CreateJob request, under the file name it is rendered as. */
export interface ReencryptJob {
  file: string;
  request: CreateJobCommandInput;
}

/** A file to write, relative to the output folder. Pure data; only output/ writes it. */
export interface RenderedFile {
  path: string;
  content: string;
  executable?: boolean;
}
