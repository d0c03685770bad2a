import { ConfigError } from '../errors.js';
import { SCHEMES, schemeTraits } from '../plan/schemes.js';
import type { Answers, Config, Enforcement, KeyChoice, RoleKind, RoleRef, Scheme } from '../types.js';
import {
  defaultKeyAlias,
  findDutyConflict,
  normaliseAccountId,
  parseCount,
  roleNameAndPath,
  validateAccountId,
  validateBucket,
  validateKeyAlias,
  validateKeyArn,
  validateRegion,
  validateRequestsPerMonth,
  validateRole,
  validateRotationDays,
} from './fields.js';
import { partitionOf } from './regions.js';

export const ROLE_FLAGS: Record<RoleKind, string> = {
  app: '--app-role',
  operator: '--operator-role',
  auditor: '--auditor-role',
  keyAdmin: '--key-admin-role',
  reencrypt: '--reencrypt-role',
};

export const DEFAULT_ROTATION_DAYS = 365;
export const DEFAULT_REQUESTS_PER_MONTH = 100_000;

interface Problem {
  field: string;
  message: string;
}

/**
 * Answers -> Config. Collects every problem before failing, so one run shows them all;
 * a missing required value names its flag.
 */
export function parseConfig(answers: Answers, options: { callerBecomesKeyAdmin?: boolean } = {}): Config {
  const { problems, config } = examine(answers, {
    complete: true,
    callerBecomesKeyAdmin: options.callerBecomesKeyAdmin ?? answers.mode === 'apply',
  });
  if (problems.length > 0) throw configErrorFor(problems);
  return config;
}

/**
 * The same checks on the answers given so far (flags, a config file), before the first
 * question: what is there must be valid, what is missing the wizard still asks.
 */
export function checkGivenAnswers(answers: Answers): void {
  const { problems } = examine(answers, { complete: false });
  if (problems.length > 0) throw configErrorFor(problems);
}

function examine(
  answers: Answers,
  { complete, callerBecomesKeyAdmin = false }: { complete: boolean; callerBecomesKeyAdmin?: boolean },
): { problems: Problem[]; config: Config } {
  const problems: Problem[] = [];
  const check = (field: string, message: string | undefined) => {
    if (message) problems.push({ field, message });
  };
  const required = (field: string, value: string | undefined): value is string => {
    if (value === undefined || value === '') {
      if (complete) problems.push({ field, message: `missing: pass ${field}` });
      return false;
    }
    return true;
  };

  const { bucket = '', region = '' } = answers;
  const accountId = normaliseAccountId(answers.accountId ?? '');
  if (required('--bucket', answers.bucket)) check('--bucket', validateBucket(bucket));
  if (required('--region', answers.region)) check('--region', validateRegion(region));
  if (required('--account-id', answers.accountId)) check('--account-id', validateAccountId(accountId));

  const scheme = oneOf<Scheme>(answers.scheme ?? 'sse-kms', SCHEMES, '--scheme', problems);
  const traits = schemeTraits(scheme);
  const enforcement = oneOf<Enforcement>(
    answers.enforcement ?? 'strict',
    ['strict', 'compatible'],
    '--enforcement',
    problems,
  );

  const partition = partitionOf(region) ?? 'aws';
  const validAccount = validateAccountId(accountId) === undefined ? accountId : undefined;
  const roles = parseRoles(answers, partition, validAccount, problems);

  // Every upload to an SSE-C bucket must carry the customer key; there is no lenient mode.
  if (traits.bucketLayer === 'sse-c' && enforcement === 'compatible') {
    check(
      '--enforcement',
      'sse-c refuses every upload without the SSE-C headers, so compatible does not apply; leave --enforcement out (strict)',
    );
  }

  let key: KeyChoice | undefined;
  // client-kms uses the sse-kms bucket layer and its key (plan/schemes.ts).
  if (traits.usesKmsKey) {
    if (answers.existingKey !== undefined) {
      check('--existing-key', validateKeyArn(answers.existingKey, partitionOf(region) ? region : undefined));
      if (answers.keyAlias !== undefined) {
        check('--key-alias', 'give either --existing-key or --key-alias (for a new key), not both');
      }
      key = { kind: 'existing', arn: answers.existingKey };
    } else {
      const alias = answers.keyAlias ?? defaultKeyAlias(bucket);
      const rotation = answers.rotationDays ?? String(DEFAULT_ROTATION_DAYS);
      // A default alias made from a missing or bad bucket name would only repeat that problem.
      if (
        answers.keyAlias !== undefined ||
        (answers.bucket !== undefined && validateBucket(bucket) === undefined)
      ) {
        check('--key-alias', validateKeyAlias(alias));
      }
      check('--rotation-days', validateRotationDays(rotation));
      key = { kind: 'new', alias, rotationDays: Number(rotation) };
    }
    // Only key administrators may change the key policy and the bucket's guardrails, so a plan
    // without one could only be undone by the root user. With credentials (always for apply)
    // the principal running the tool is added; before the first question, it may still be asked.
    if (complete && roles.keyAdmin.length === 0 && !callerBecomesKeyAdmin) {
      check(
        '--key-admin-role',
        'missing: a KMS key needs at least one key administrator (who maintains this setup?); pass --key-admin-role ROLE, or apply, which adds the principal running it',
      );
    }
  } else {
    if (
      answers.existingKey !== undefined ||
      answers.keyAlias !== undefined ||
      answers.rotationDays !== undefined
    ) {
      check(
        '--scheme',
        `--existing-key, --key-alias and --rotation-days need --scheme sse-kms or client-kms; ${scheme} uses no KMS key`,
      );
    }
    if (roles.reencrypt.length > 0)
      check(
        '--reencrypt-role',
        `a re-encryption role needs --scheme sse-kms or client-kms; ${scheme} uses no KMS key`,
      );
  }

  const requests = answers.requestsPerMonth ?? String(DEFAULT_REQUESTS_PER_MONTH);
  check('--requests-per-month', validateRequestsPerMonth(requests));

  if (answers.verifyRole !== undefined)
    check('--verify-role', validateRole(answers.verifyRole, validAccount));
  const conflict = findDutyConflict([
    ...(Object.keys(ROLE_FLAGS) as RoleKind[]).map((kind) => ({
      flag: ROLE_FLAGS[kind],
      roles: rolesOf(answers, kind),
    })),
  ]);
  if (conflict) problems.push({ field: conflict.flag, message: conflict.message });

  const config: Config = {
    bucket,
    region,
    partition,
    accountId,
    scheme,
    roles,
    ...(key ? { key } : {}),
    enforcement,
    createBucket: answers.createBucket ?? false,
    requestsPerMonth: parseCount(requests),
  };
  return { problems, config };
}

function rolesOf(answers: Answers, kind: RoleKind): string[] {
  const byKind: Record<RoleKind, string[] | undefined> = {
    app: answers.appRoles,
    operator: answers.operatorRoles,
    auditor: answers.auditorRoles,
    keyAdmin: answers.keyAdminRoles,
    reencrypt: answers.reencryptRoles,
  };
  return byKind[kind] ?? [];
}

function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  field: string,
  problems: Problem[],
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push({ field, message: `${JSON.stringify(value)} is not one of ${allowed.join(', ')}` });
  return allowed[0] as T;
}

function parseRoles(
  answers: Answers,
  partition: string,
  accountId: string | undefined,
  problems: Problem[],
): Record<RoleKind, RoleRef[]> {
  const roles: Record<RoleKind, RoleRef[]> = {
    app: [],
    operator: [],
    auditor: [],
    keyAdmin: [],
    reencrypt: [],
  };
  const seen = new Set<string>();
  for (const kind of Object.keys(roles) as RoleKind[]) {
    for (const value of rolesOf(answers, kind)) {
      const problem = validateRole(value, accountId);
      if (problem) {
        problems.push({ field: ROLE_FLAGS[kind], message: problem });
        continue;
      }
      // Two duties for one role name are reported once, by findDutyConflict.
      const { name } = roleNameAndPath(value);
      if (seen.has(name)) continue;
      seen.add(name);
      const arn = value.startsWith('arn:')
        ? value
        : `arn:${partition}:iam::${accountId ?? '000000000000'}:role/${name}`;
      roles[kind].push({ name, arn });
    }
  }
  return roles;
}

/**
 * The plan apply carries out: the principal running it becomes a key administrator (shown in
 * the plan), because apply itself must be able to write the key policy and the bucket's
 * guardrails again on the next run. `callerArn` is an IAM ARN: a role's ARN with its path
 * (resolved from the STS assumed-role ARN; SSO roles live under /aws-reserved/...), a user's
 * ARN, or the account root, which needs no entry (the policies except it already).
 */
export function withCallerAsKeyAdmin(config: Config, callerArn: string): Config {
  if (/^arn:[\w-]+:iam::\d{12}:root$/.test(callerArn)) return config;
  if (!/^arn:[\w-]+:iam::\d{12}:(role|user)\//.test(callerArn)) {
    throw new ConfigError(`the caller ${callerArn} is not an IAM role or user ARN`, {
      field: '--key-admin-role',
      hint: 'run apply with the credentials of an IAM role or user of the account',
    });
  }
  for (const kind of Object.keys(config.roles) as RoleKind[]) {
    const named = config.roles[kind].some((role) => role.arn === callerArn);
    if (named && kind === 'keyAdmin') return config;
    if (named) {
      throw new ConfigError(
        `the caller ${callerArn} is given as ${ROLE_FLAGS[kind]}; apply makes its caller a key administrator, and one role may hold one duty only`,
        { field: ROLE_FLAGS[kind], hint: 'run apply as another principal (an administrator)' },
      );
    }
  }
  const name = callerArn.slice(callerArn.lastIndexOf('/') + 1);
  return {
    ...config,
    roles: {
      ...config.roles,
      keyAdmin: [...config.roles.keyAdmin, { name, arn: callerArn, addedAsCaller: true }],
    },
  };
}

function configErrorFor(problems: Problem[]): ConfigError {
  const first = problems[0] as Problem;
  const lines = problems.map((problem) => `  ${problem.field}: ${problem.message}`);
  return new ConfigError(`Invalid input:\n${lines.join('\n')}`, {
    field: first.field,
    hint: 'fix the values above and run again; nothing was written',
  });
}

/**
 * Validates everything but the account id, for apply runs that read the account id from STS:
 * a wrong bucket name must fail before any AWS call. Role ARNs name their account, so the
 * first one stands in; STS's answer is checked against it afterwards by parseConfig.
 */
export function validateBeforeAccountIsKnown(answers: Answers): void {
  const roles = [
    answers.appRoles,
    answers.operatorRoles,
    answers.auditorRoles,
    answers.keyAdminRoles,
    answers.reencryptRoles,
  ].flat();
  const fromArn = roles.map((role) => /^arn:[\w-]+:iam::(\d{12}):/.exec(role ?? '')?.[1]).find(Boolean);
  parseConfig({ ...answers, mode: 'apply', accountId: fromArn ?? '000000000000' });
}
