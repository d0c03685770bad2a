import type { PublicAccessBlockConfiguration, ServerSideEncryptionRule } from '@aws-sdk/client-s3';
import type { RoleKind, RoleRef } from '../types.js';
import type { JsonObject } from './policy-json.js';

/*
 * What discovery found in the account: the input of diff, preflight, backup and execute.
 * `undefined` means "there is none"; a read that could not be made is said in `warnings`.
 */

/** A policy as AWS stored it (decoded) and parsed. The text is what the backup keeps. */
export interface StoredPolicy {
  text: string;
  document: JsonObject;
}

export interface CallerIdentity {
  account: string;
  arn: string;
}

export type BucketState =
  | { status: 'missing' }
  /** HeadBucket answered 403: another account owns the name, or the caller may not list it. */
  | { status: 'forbidden' }
  | { status: 'elsewhere'; region: string }
  | {
      status: 'exists';
      region: string;
      encryption: ServerSideEncryptionRule[] | undefined;
      policy: StoredPolicy | undefined;
      publicAccessBlock: PublicAccessBlockConfiguration | undefined;
      /** Undefined when listing was denied. */
      holdsObjects: boolean | undefined;
    };

export interface KeyRotation {
  enabled: boolean;
  /** Real KMS reports it when rotation is on; moto 5.2 never does. */
  periodDays: number | undefined;
}

/** The key this tool created for the bucket, found again on a re-run. */
export interface FoundKey {
  arn: string;
  keyId: string;
  foundBy: 'alias' | 'tag';
  /** Whether the plan's alias already points to this key. */
  hasAlias: boolean;
  policy: StoredPolicy | undefined;
  /** Undefined when the rotation status could not be read. */
  rotation: KeyRotation | undefined;
}

export interface RoleState {
  role: RoleRef;
  kind: RoleKind;
  policyName: string;
  /** The role's real ARN (with its path), or undefined when the role does not exist. */
  actualArn: string | undefined;
  /** This tool's inline policy on the role, if a previous run put it there. */
  policy: StoredPolicy | undefined;
}

/** A reason apply must not write; `field` names the flag to change. */
export interface Blocker {
  message: string;
  field?: string;
}

export interface AccountState {
  caller: CallerIdentity;
  bucket: BucketState;
  /** Set when the plan creates a key and an earlier run already made it. */
  key: FoundKey | undefined;
  /** The keys tagged for this bucket that the tag search found, when it ran (render locks them). */
  taggedKeys?: string[];
  roles: RoleState[];
  blockers: Blocker[];
  warnings: string[];
}
