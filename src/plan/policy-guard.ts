import type { PolicyDocument } from '../types.js';

/*
 * The lock-out guards: apply refuses a key policy or a bucket policy under which no existing
 * principal could change it again, instead of relying on AWS's own checks (and never setting
 * BypassPolicyLockoutSafetyCheck). Each candidate administrator is judged as one request:
 * its aws:PrincipalArn plus the context an administrator's request would carry. A condition
 * this code cannot decide counts against the candidate: the guards err towards refusing.
 */

type Context = Record<string, string>;
type Verdict = 'yes' | 'no' | 'unknown';
type Loose = Record<string, unknown>;

// AWS reads a JSON number or boolean in a policy as its text (`1.2`, `true`): so does the guard.
const list = (value: unknown): string[] =>
  value === undefined
    ? []
    : [value]
        .flat()
        .filter((item) => ['string', 'number', 'boolean'].includes(typeof item))
        .map(String);

function pattern(glob: string, caseless: boolean): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${escaped}$`, caseless ? 'i' : '');
}

const actionMatches = (statement: Loose, action: string) =>
  statement.NotAction !== undefined
    ? !list(statement.NotAction).some((glob) => pattern(glob, true).test(action))
    : list(statement.Action).some((glob) => pattern(glob, true).test(action));

/** The account id of an IAM or STS ARN. */
const accountOf = (arn: string) => arn.split(':')[4] ?? '';
const rootOf = (arn: string) => `arn:${arn.split(':')[1]}:iam::${accountOf(arn)}:root`;

/**
 * Whether a Principal names the candidate. In a Deny, the account (root ARN or account id)
 * covers every principal of that account; in an Allow it names only the root user here, since
 * what it delegates to IAM depends on identity policies this code does not see.
 */
function principalMatches(statement: Loose, arn: string, effect: 'Allow' | 'Deny'): boolean {
  if (statement.NotPrincipal !== undefined) return effect === 'Deny';
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null || !('AWS' in principal)) return false;
  return list((principal as Loose).AWS).some((named) => {
    if (named === '*' || named === arn) return true;
    const namesAccount = named === accountOf(arn) || named === rootOf(arn);
    return namesAccount && (effect === 'Deny' || arn === rootOf(arn));
  });
}

const STRING_TESTS: Record<string, (actual: string, expected: string) => boolean> = {
  StringEquals: (a, e) => a === e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringLike: (a, e) => pattern(e, false).test(a),
  ArnEquals: (a, e) => a === e,
  ArnLike: (a, e) => pattern(e, false).test(a),
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  NumericLessThan: (a, e) => Number(a) < Number(e),
  NumericLessThanEquals: (a, e) => Number(a) <= Number(e),
  NumericGreaterThan: (a, e) => Number(a) > Number(e),
  NumericGreaterThanEquals: (a, e) => Number(a) >= Number(e),
  NumericEquals: (a, e) => Number(a) === Number(e),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
};

function operatorVerdict(operator: string, key: string, values: string[], context: Context): Verdict {
  if (operator.includes(':')) return 'unknown'; // ForAnyValue:/ForAllValues: set operators
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  const actual = context[key];
  if (base === 'Null') {
    if (actual === undefined && !(key in context)) return 'unknown';
    const absent = actual === undefined;
    return values.some((value) => (value === 'true') === absent) ? 'yes' : 'no';
  }
  if (actual === undefined) return ifExists ? 'yes' : 'unknown';
  const positive = STRING_TESTS[base] ?? STRING_TESTS[NEGATED[base] ?? ''];
  if (!positive) return 'unknown';
  const anyMatch = values.some((value) => positive(actual, value));
  const holds = NEGATED[base] ? !anyMatch : anyMatch;
  return holds ? 'yes' : 'no';
}

function conditionVerdict(statement: Loose, context: Context): Verdict {
  const condition = statement.Condition;
  if (condition === undefined) return 'yes';
  if (typeof condition !== 'object' || condition === null) return 'unknown';
  let verdict: Verdict = 'yes';
  for (const [operator, block] of Object.entries(condition as Loose)) {
    if (typeof block !== 'object' || block === null) return 'unknown';
    for (const [key, values] of Object.entries(block as Loose)) {
      const one = operatorVerdict(operator, key, list(values), context);
      if (one === 'no') return 'no';
      if (one === 'unknown') verdict = 'unknown';
    }
  }
  return verdict;
}

const statementsOf = (policy: PolicyDocument): Loose[] =>
  [policy.Statement].flat().filter((s): s is never => typeof s === 'object' && s !== null) as Loose[];

/** True when some Deny may refuse `action` to `arn` under `context` (undecidable counts as may). */
export function mayBeDenied(policy: PolicyDocument, action: string, arn: string, context: Context): boolean {
  const request = { ...context, 'aws:PrincipalArn': arn };
  return statementsOf(policy).some(
    (statement) =>
      statement.Effect === 'Deny' &&
      principalMatches(statement, arn, 'Deny') &&
      actionMatches(statement, action) &&
      conditionVerdict(statement, request) !== 'no',
  );
}

/** True when an Allow names `arn` (or the root user, as the account) for `action`, unconditionally met. */
function isAllowed(policy: PolicyDocument, action: string, arn: string, context: Context): boolean {
  const request = { ...context, 'aws:PrincipalArn': arn };
  return statementsOf(policy).some(
    (statement) =>
      statement.Effect === 'Allow' &&
      statement.NotAction === undefined &&
      principalMatches(statement, arn, 'Allow') &&
      actionMatches(statement, action) &&
      conditionVerdict(statement, request) === 'yes',
  );
}

/**
 * A key policy keeps an administrator when the account root user, or one of the key
 * administrators named in it, may still call kms:PutKeyPolicy and no Deny reaches them. A
 * Deny to "*" whose aws:PrincipalArn exception still leaves one of them out is fine; one that
 * excludes everyone is not. Actions match as IAM matches them: wildcards, any letter case.
 */
export function keepsAdministrator(
  policy: PolicyDocument,
  rootArn: string,
  administrators: readonly string[] = [],
): boolean {
  return [rootArn, ...administrators].some(
    (arn) =>
      isAllowed(policy, 'kms:PutKeyPolicy', arn, {}) && !mayBeDenied(policy, 'kms:PutKeyPolicy', arn, {}),
  );
}

/** What an administrator's request to S3 carries: HTTPS, TLS 1.2 or later. */
const ADMIN_S3_CONTEXT: Context = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' };

/**
 * A bucket policy keeps an administrator when one of `administrators` (the key administrators
 * and the root user) may still call s3:PutBucketPolicy past every Deny. Same-account identity
 * policies grant the Allow, so only the Denies are judged here.
 *
 * S3 lets the root user of the bucket owner's account call GetBucketPolicy, PutBucketPolicy
 * and DeleteBucketPolicy even when the bucket policy denies it (S3 API reference,
 * DeleteBucketPolicy: "To ensure that bucket owners don't inadvertently lock themselves out
 * of their own buckets..."; only VPC endpoint policies and AWS Organizations policies can block
 * that). This guard does not lean on it: it judges the root user by the policy as written, so
 * a policy that would need that exemption to be undone is refused.
 */
export function keepsBucketAdministrator(policy: PolicyDocument, administrators: readonly string[]): boolean {
  return administrators.some((arn) => !mayBeDenied(policy, 's3:PutBucketPolicy', arn, ADMIN_S3_CONTEXT));
}
