/*
 * The stage types of the pipeline, in the order data flows through them.
 *
 *  flags ─┐
 *         ├─> Answers ──parseConfig──> Config ──buildPlan──> Plan ─┬─ applyPlan(plan, aws) ──> ApplyResult ─┐
 *  wizard ┘     (cli/)                (config/)             (plan/)  │   (apply/: discover, diff, write)     ├─> verify ──> Report
 *                                                                   └─ renderPlan(plan) ──> files ──────────┘   (verify/)
 *                                                                       (render/: handlebars, pure)
 *
 * The Plan holds the desired state (`plan.desired`: what the account must hold, Terraform's
 * "planned values") and the ordered operations derived from it (`plan.steps`,
 * plan/operations.ts), which apply diffs against what it discovered and setup.sh runs in order.
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
 * The key a plan's documents use: one it creates (its ARN is only known once KMS answers
 * CreateKey), or an existing one. Each consumer resolves "the new key's ARN" through
 * plan/key-reference.ts: apply with the created ARN, the JSON files and setup.sh as
 * KEY_ARN_PLACEHOLDER, Terraform as `aws_kms_key.this.arn`, CloudFormation as a GetAtt.
 */
export type KeyReference = { kind: 'created-by-this-plan' } | { kind: 'existing'; arn: string };

/**
 * How the JSON files and setup.sh print the new key's ARN, and how the plan's documents
 * (IAM wants strings) carry it until a consumer resolves it. Only plan/key-reference.ts
 * decides on it.
 */
export const KEY_ARN_PLACEHOLDER = '<KEY_ARN>';

export interface BucketEncryption {
  algorithm: 'aws:kms' | 'AES256';
  /** The key for aws:kms; sent as its full ARN. */
  key?: KeyReference;
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

/**
 * One operation, derived from the desired state (plan/operations.ts); apply/ maps each kind to
 * an executor, setup.sh to a command.
 */
export type PlanStep =
  | { kind: 's3.createBucket'; bucket: string; region: string }
  | { kind: 'kms.createKey'; description: string; tags: Tag[]; policy: PolicyDocument }
  | { kind: 'kms.createAlias'; alias: string }
  | { kind: 'kms.enableRotation'; rotationDays: number }
  | { kind: 'kms.putKeyPolicy'; policy: PolicyDocument }
  | { kind: 's3.putBucketEncryption'; bucket: string; encryption: BucketEncryption }
  | { kind: 's3.putPublicAccessBlock'; bucket: string; block: PublicAccessBlock }
  | { kind: 's3.putBucketPolicy'; bucket: string; policy: PolicyDocument }
  | ({ kind: 'iam.putRolePolicy' } & DesiredRolePolicy);

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

/** The bucket as the account must hold it. */
export interface DesiredBucket {
  name: string;
  region: string;
  /** Created by this plan (left alone if it already exists), or one that must exist. */
  createdByThisPlan: boolean;
  encryption: BucketEncryption;
  publicAccessBlock: PublicAccessBlock;
  /** This tool's statements; apply and render merge them into a policy the bucket already has. */
  policy: PolicyDocument;
}

/** The KMS key as the account must hold it. */
export type DesiredKey =
  | {
      kind: 'new';
      alias: string;
      rotationDays: number;
      description: string;
      /** Every tag the key carries, the lookup tag among them. */
      tags: Tag[];
      /** The tag a re-run finds the key by, even if its alias was never made. */
      lookupTag: Tag;
      policy: PolicyDocument;
    }
  /** Used as it is: its policy and rotation are not changed. */
  | { kind: 'existing'; arn: string };

/** An inline policy this tool puts on a role. */
export interface DesiredRolePolicy {
  role: RoleRef;
  roleKind: RoleKind;
  policyName: string;
  policy: PolicyDocument;
}

/** What the account must hold once the plan is applied: one place a reviewer can read. */
export interface DesiredState {
  scheme: Scheme;
  enforcement: Enforcement;
  bucket: DesiredBucket;
  /** Absent for the schemes that use no KMS key (sse-s3, sse-c, client-app-key). */
  key?: DesiredKey;
  /** One per role the tool puts a policy on (never on the principal running apply). */
  rolePolicies: DesiredRolePolicy[];
}

export interface Plan {
  config: Config;
  desired: DesiredState;
  /** The key the documents use; absent for the schemes without a KMS key. */
  keyArn?: KeyReference;
  /** The operations that reach the desired state, in order (plan/operations.ts). */
  steps: PlanStep[];
  /** Documents by name, the same objects the desired state carries; rendered into policies/. */
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
