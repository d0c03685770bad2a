import * as v from 'valibot';
import { closestRegion, partitionOf } from './regions.js';

/*
 * One schema for flags and wizard answers alike: each field validator returns an error
 * message (naming the problem and the fix) or undefined, and the prompts use the same
 * functions as their `validate` callbacks.
 */

const BUCKET_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const BUCKET_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

const bucketSchema = v.pipe(
  v.string(),
  v.minLength(3, 'must be 3 to 63 characters long'),
  v.maxLength(63, 'must be 3 to 63 characters long'),
  v.regex(/^[a-z0-9.-]+$/, 'may contain only lowercase letters, digits, dots and hyphens'),
  v.regex(/^[a-z0-9].*[a-z0-9]$/, 'must begin and end with a lowercase letter or digit'),
  v.check((name) => !name.includes('..'), 'must not contain two dots in a row'),
  v.check((name) => !/^\d+\.\d+\.\d+\.\d+$/.test(name), 'must not look like an IP address'),
  v.check(
    (name) => !BUCKET_RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)),
    `must not start with a reserved prefix (${BUCKET_RESERVED_PREFIXES.join(', ')})`,
  ),
  v.check(
    (name) => !BUCKET_RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix)),
    `must not end with a reserved suffix (${BUCKET_RESERVED_SUFFIXES.join(', ')})`,
  ),
);

const accountIdSchema = v.pipe(v.string(), v.regex(/^\d{12}$/, 'must be exactly 12 digits'));

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH = /^\/(?:[\w+=,.@-]+\/)*$/;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role(\/.*)$/;
const KEY_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f-]{36}|mrk-[0-9a-f]{32})$/;

function firstIssue<T>(schema: v.GenericSchema<string, T>, value: string): string | undefined {
  const result = v.safeParse(schema, value);
  return result.success ? undefined : result.issues[0].message;
}

function quoted(value: string): string {
  return JSON.stringify(value);
}

export function validateBucket(value: string): string | undefined {
  if (value === '') return 'type a bucket name, e.g. acme-contracts (the grey text is only an example)';
  const problem = firstIssue(bucketSchema, value);
  return problem && `bucket name ${quoted(value)} ${problem} (S3 bucket naming rules)`;
}

export function validateRegion(value: string): string | undefined {
  if (partitionOf(value)) return undefined;
  const suggestion = closestRegion(value);
  return `unknown region ${quoted(value)}${suggestion ? `; did you mean ${suggestion}?` : '; use a region code such as eu-west-1'}`;
}

/** The console shows account ids as 1111-2222-3333; IAM wants the 12 digits. */
export function normaliseAccountId(value: string): string {
  const trimmed = value.trim();
  return /^\d{4}[-\s]?\d{4}[-\s]?\d{4}$/.test(trimmed) ? trimmed.replace(/[-\s]/g, '') : trimmed;
}

export function validateAccountId(value: string): string | undefined {
  const problem = firstIssue(accountIdSchema, normaliseAccountId(value));
  return problem && `account id ${quoted(value)} ${problem}, e.g. 123456789012`;
}

/** A role given as a bare name, or as a full ARN of a role in `accountId`. */
export function validateRole(value: string, accountId?: string): string | undefined {
  if (value.startsWith('arn:')) {
    const match = ROLE_ARN.exec(value);
    if (!match) return `role ARN ${quoted(value)} is malformed; expected arn:aws:iam::123456789012:role/NAME`;
    const [, , arnAccount, pathAndName = ''] = match;
    const slash = pathAndName.lastIndexOf('/');
    const path = pathAndName.slice(0, slash + 1);
    const name = pathAndName.slice(slash + 1);
    if (!ROLE_PATH.test(path) || !ROLE_NAME.test(name)) {
      return `role ARN ${quoted(value)} has an invalid path or name; names use letters, digits and +=,.@_-`;
    }
    if (accountId && arnAccount !== accountId) {
      return `role ${quoted(value)} is in account ${arnAccount}, not ${accountId}; only roles of the bucket's account can be given policies here`;
    }
    return undefined;
  }
  if (/\s/.test(value.trim())) {
    return `role name ${quoted(value)} contains a space; IAM role names have none. Several roles: repeat the flag (or separate them with commas in the wizard)`;
  }
  if (!ROLE_NAME.test(value)) {
    return `role name ${quoted(value)} is invalid: 1 to 64 letters, digits or +=,.@_- (no spaces, quotes or $)`;
  }
  return undefined;
}

/** Splits a valid role value into name and path; call only after validateRole. */
export function roleNameAndPath(value: string): { name: string; path: string } {
  if (!value.startsWith('arn:')) return { name: value, path: '/' };
  const resource = value.slice(value.indexOf(':role/') + ':role'.length);
  const slash = resource.lastIndexOf('/');
  return { name: resource.slice(slash + 1), path: resource.slice(0, slash + 1) };
}

export function validateKeyAlias(value: string): string | undefined {
  if (!/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(value)) {
    return `key alias ${quoted(value)} must be alias/ followed by letters, digits, /, _ or - (e.g. alias/my-bucket)`;
  }
  if (value.startsWith('alias/aws/'))
    return `key alias ${quoted(value)} uses the prefix alias/aws/, which AWS reserves`;
  return undefined;
}

/** Existing keys must be given as a full ARN in the bucket's region (an alias resolves in the caller's account). */
export function validateKeyArn(value: string, region?: string): string | undefined {
  const match = KEY_ARN.exec(value);
  if (!match) {
    return `key ${quoted(value)} is not a full KMS key ARN; expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID (an alias or key id resolves in the requester's account, so the full ARN is required)`;
  }
  if (region && match[2] !== region) {
    return `key ${quoted(value)} is in ${match[2]}, but the bucket is in ${region}; S3 needs a key in the bucket's region`;
  }
  return undefined;
}

export function validateRotationDays(value: string): string | undefined {
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 90 || days > 2560) {
    return `rotation period ${quoted(value)} must be a whole number of days from 90 to 2560`;
  }
  return undefined;
}

export function validateRequestsPerMonth(value: string): string | undefined {
  if (!/^\d{1,15}$/.test(value.replace(/[_,]/g, ''))) {
    return `requests per month ${quoted(value)} must be a whole number, e.g. 100000`;
  }
  return undefined;
}

export function parseCount(value: string): number {
  return Number(value.replace(/[_,]/g, ''));
}

export function defaultKeyAlias(bucket: string): string {
  return `alias/${bucket.replace(/\./g, '-')}`;
}

/** The IAM role name of a valid role value: names are unique in an account, whatever the path. */
export function roleName(value: string): string {
  return roleNameAndPath(value).name;
}

/** Each role holds one duty: the same role NAME under two flags (even via different paths) is refused. */
export function findDutyConflict(
  duties: readonly { flag: string; roles: readonly string[] }[],
): { flag: string; message: string } | undefined {
  const flagByName = new Map<string, { flag: string; value: string }>();
  for (const { flag, roles } of duties) {
    for (const value of roles) {
      if (validateRole(value) !== undefined) continue;
      const name = roleName(value);
      const earlier = flagByName.get(name);
      if (earlier && earlier.flag !== flag) {
        return {
          flag,
          message: `role ${name} is given as both ${earlier.flag} and ${flag}; each role may hold one duty only, or the separation of access is lost (IAM role names are unique in an account, whatever the path)`,
        };
      }
      if (earlier && earlier.value !== value) {
        return {
          flag,
          message: `role ${name} is given twice to ${flag}, as ${quoted(earlier.value)} and ${quoted(value)}; IAM role names are unique in an account, so give it once (with its full ARN if it has a path)`,
        };
      }
      flagByName.set(name, { flag, value });
    }
  }
  return undefined;
}
