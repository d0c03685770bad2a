import { createHash } from 'node:crypto';
import type { AccountState } from '../apply/state.js';
import { schemeTraits } from '../plan/schemes.js';
import type { Plan } from '../types.js';

/*
 * The lock: what render read from the account, so that setup.sh can refuse to run against an
 * account that changed since. Each document is kept as a digest that bash computes the same way
 * from the aws CLI's `--output text` (see `lockDigest`); a key is kept as its ARN.
 */

/** A document's digest, or `none` when there was none. */
export type LockedDocument = 'none' | `sha256:${string}`;

export interface SetupLock {
  /** False when rendered offline: every entry is then `none`, what the offline render assumed. */
  read: boolean;
  /** Who read the account, for the reader of setup.sh. */
  readAs?: string;
  bucketPolicy: LockedDocument;
  /**
   * The bucket policy's text as read, when there was one: Terraform's check compares documents,
   * not digests, since the provider re-serialises the policy it reads (keys sorted).
   */
  bucketPolicyText?: string;
  /** New keys only: the ARN the plan's alias named, or `none`. */
  aliasKey: string;
  /** New keys only: the key setup.sh uses (found by alias or tag), or `none` to create one. */
  key: string;
  /** The policy of that key. */
  keyPolicy: LockedDocument;
  /**
   * New keys only: the ARNs of the keys tagged for this bucket, sorted and space-separated as
   * setup.sh's one read prints them, or `none`. setup.sh creates a key only when none is
   * tagged beyond these (a run that stopped before its alias left one).
   */
  taggedKeys: string;
}

/** What an offline render assumes: nothing of this plan exists yet. */
export const OFFLINE_LOCK: SetupLock = {
  read: false,
  bucketPolicy: 'none',
  aliasKey: 'none',
  key: 'none',
  keyPolicy: 'none',
  taggedKeys: 'none',
};

/**
 * sha256 over the text without its whitespace (space, tab, CR, LF). S3 gives back a stored
 * policy re-serialised without whitespace, and the aws CLI adds a newline that bash drops;
 * without whitespace both are the same text. setup.sh's `digest` is `tr -d ' \t\r\n' | sha256sum`.
 */
export function lockDigest(text: string): `sha256:${string}` {
  const compact = text.replace(/[ \t\r\n]/g, '');
  return `sha256:${createHash('sha256').update(compact, 'utf8').digest('hex')}`;
}

const digestOf = (policy: { text: string } | undefined): LockedDocument =>
  policy ? lockDigest(policy.text) : 'none';

/** The lock of an account as apply's discovery read it. Pure. */
export function lockFromAccount(plan: Plan, state: AccountState): SetupLock {
  const read = state.bucket.status === 'exists' ? state.bucket.policy : undefined;
  const bucketPolicy = digestOf(read);
  const newKey = schemeTraits(plan.config.scheme).usesKmsKey && plan.config.key?.kind === 'new';
  const key = newKey ? state.key : undefined;
  return {
    read: true,
    readAs: state.caller.arn,
    bucketPolicy,
    ...(read ? { bucketPolicyText: read.text } : {}),
    aliasKey: key?.hasAlias ? key.arn : 'none',
    key: key?.arn ?? 'none',
    keyPolicy: digestOf(key?.policy),
    taggedKeys: newKey ? taggedKeysOf(state) : 'none',
  };
}

/**
 * The keys tagged for this bucket, as setup.sh's read prints them. The tag search runs only
 * when the alias names no key; otherwise the key the alias names is the one known tagged.
 */
function taggedKeysOf(state: AccountState): string {
  const arns = state.taggedKeys ?? (state.key ? [state.key.arn] : []);
  return arns.length > 0 ? [...new Set(arns)].sort().join(' ') : 'none';
}
