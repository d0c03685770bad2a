/*
 * runSimulation (@cloud-copilot/iam-simulate 0.1.173) wrapped for the access-matrix tests.
 * What it models and what it does not, as measured here (simulator.test.ts pins each point):
 *
 * - KMS key policies behave like KMS. Same account, identity policies count only for actions
 *   that a key-policy statement grants to the account root (KmsServiceAuthorizer: "Explicit"
 *   trust). Root with kms:Get* + identity kms:* gives GetKeyPolicy, not Decrypt. No key policy
 *   means implicit deny. A statement naming a role ARN is enough on its own. Actions whose
 *   resource is "*" (kms:ListAliases, cloudtrail:LookupEvents) need only an identity policy.
 * - S3 same-account: an Allow in the identity OR the bucket policy is enough (as in AWS).
 * - A Principal role ARN matches that role's assumed-role sessions (arn:aws:sts::...:
 *   assumed-role/NAME/SESSION), which is what AWS sees, so the tests send sessions.
 * - An explicit Deny anywhere wins. Wildcard actions (kms:Get*, kms:*, s3:*) are expanded.
 * - It fills in NO context keys: not aws:SecureTransport, s3:TlsVersion, aws:PrincipalArn,
 *   kms:ViaService. Missing keys behave as in AWS: Bool/StringEquals/NumericLessThan are
 *   false, StringNotEquals(IfExists) true, Null true. So a request without
 *   aws:SecureTransport silently escapes the HTTP deny: s3Request() always sends HTTPS values.
 * - Context keys that are not valid for the action (misspelt ones included) are dropped and
 *   listed in result.ignoredContextKeys. simulate() fails on any such key.
 * - Its bug: it drops kms:EncryptionContext:aws:s3:arn too (it only matches variable keys
 *   split by "/", and the KMS key is kms:EncryptionContext:${EncryptionContextKey}). For a
 *   request carrying that key, simulate() re-runs the same engine with runUnsafeSimulation
 *   (no key filtering), after checking that the unsafe run without the key agrees with
 *   runSimulation. Misspellings of this one key are caught only by the paired tests.
 * - Misspelt condition keys inside policies are not reported; they act as missing keys.
 * - One action at a time: it does not know that S3 calls KMS for the requester, that KMS
 *   grants exist, or that S3 rejects malformed header combinations before any policy.
 */
import { type EvaluationResult, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { parseConfig } from '../../src/config/parse-config.js';
import { buildPlan, resolveKeyArn } from '../../src/plan/build-plan.js';
import { SCHEME_TRAITS } from '../../src/plan/schemes.js';
import type { Enforcement, Plan, PolicyDocument, RoleKind, Scheme } from '../../src/types.js';
import { KEY_ARN_PLACEHOLDER } from '../../src/types.js';
import { unfilteredVerdict } from '../standin/evaluate.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const BUCKET = 'acme-data';
export const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
export const OBJECT_ARN = `${BUCKET_ARN}/reports/2024.csv`;
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const OTHER_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;
/** The service name S3 presents to KMS as kms:ViaService. */
export const S3_VIA = `s3.${REGION}.amazonaws.com`;

export const ROLE_NAMES: Record<RoleKind, string> = {
  app: 'app',
  operator: 'ops',
  auditor: 'audit',
  keyAdmin: 'key-admin',
  reencrypt: 'reencrypt',
};
/**
 * Who asks: a named role, or a principal nobody named: `admin` (a role with AdministratorAccess),
 * `poweruser` (a role with PowerUserAccess), `root` (the account root user).
 */
export type Who = RoleKind | 'admin' | 'poweruser' | 'root';
const roleName = (who: Exclude<Who, 'root'>) =>
  who === 'admin' ? 'Admin' : who === 'poweruser' ? 'PowerUser' : ROLE_NAMES[who];
/** The principal AWS evaluates: an assumed-role session, or the root user itself. */
export const session = (who: Who, account = ACCOUNT) =>
  who === 'root'
    ? `arn:aws:iam::${account}:root`
    : `arn:aws:sts::${account}:assumed-role/${roleName(who)}/session`;
/**
 * aws:PrincipalArn as AWS sets it: for a session, the ARN of its role (never the session's),
 * which is also what a role deleted and created again under the same name presents.
 */
export const principalArn = (who: Who, account = ACCOUNT) =>
  who === 'root' ? `arn:aws:iam::${account}:root` : `arn:aws:iam::${account}:role/${roleName(who)}`;
export const PRINCIPAL_ARN = 'aws:PrincipalArn';

/** The AWS managed policy AdministratorAccess. */
export const ADMINISTRATOR_ACCESS: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'AdministratorAccess', Effect: 'Allow', Action: '*', Resource: '*' }],
};
/**
 * The AWS managed policy PowerUserAccess, as the AWS managed policy reference gives it:
 * everything but IAM, Organizations and Account, plus a few IAM and Organizations reads.
 */
export const POWER_USER_ACCESS: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowServices',
      Effect: 'Allow',
      NotAction: ['iam:*', 'organizations:*', 'account:*'],
      Resource: '*',
    } as unknown as PolicyDocument['Statement'][number],
    {
      Sid: 'AllowIAMAccountReads',
      Effect: 'Allow',
      Action: [
        'account:GetAccountInformation',
        'account:GetPrimaryEmail',
        'account:ListRegions',
        'iam:CreateServiceLinkedRole',
        'iam:DeleteServiceLinkedRole',
        'iam:ListRoles',
        'organizations:DescribeOrganization',
      ],
      Resource: '*',
    },
  ],
};

/** Spelt from the AWS docs (S3 and KMS condition-key references). */
export const SSE = 's3:x-amz-server-side-encryption';
export const SSE_KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
export const SSE_C = 's3:x-amz-server-side-encryption-customer-algorithm';
export const SECURE_TRANSPORT = 'aws:SecureTransport';
export const TLS_VERSION = 's3:TlsVersion';
export const VIA_SERVICE = 'kms:ViaService';
export const S3_CONTEXT = 'kms:EncryptionContext:aws:s3:arn';
/** What a client over HTTPS with TLS 1.2 presents; s3Request() sends it unless overridden. */
export const HTTPS = { [SECURE_TRANSPORT]: 'true', [TLS_VERSION]: '1.2' };

export type Context = Record<string, string>;

export const KMS_STAR: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllKms', Effect: 'Allow', Action: 'kms:*', Resource: '*' }],
};

export interface Variant {
  label: string;
  scheme: Scheme;
  enforcement: Enforcement;
  key?: 'new' | 'existing';
}
export const KMS_VARIANTS: Variant[] = (['strict', 'compatible'] as const).flatMap((enforcement) =>
  (['new', 'existing'] as const).map((key) => ({
    label: `sse-kms ${key} key ${enforcement}`,
    scheme: 'sse-kms' as const,
    enforcement,
    key,
  })),
);
export const S3_VARIANTS: Variant[] = (['strict', 'compatible'] as const).map((enforcement) => ({
  label: `sse-s3 ${enforcement}`,
  scheme: 'sse-s3' as const,
  enforcement,
}));

/** The Plan's documents for a variant, with a concrete key ARN in place of the placeholder. */
export function documentsFor(variant: Variant): Plan['documents'] {
  const config = parseConfig({
    bucket: BUCKET,
    region: REGION,
    accountId: ACCOUNT,
    scheme: variant.scheme,
    enforcement: variant.enforcement,
    ...(variant.key === 'existing' ? { existingKey: KEY_ARN } : {}),
    appRoles: [ROLE_NAMES.app],
    operatorRoles: [ROLE_NAMES.operator],
    auditorRoles: [ROLE_NAMES.auditor],
    keyAdminRoles: SCHEME_TRAITS[variant.scheme].usesKmsKey ? [ROLE_NAMES.keyAdmin] : [],
    reencryptRoles: SCHEME_TRAITS[variant.scheme].usesKmsKey ? [ROLE_NAMES.reencrypt] : [],
  });
  const plan = buildPlan(config);
  const documents = variant.key === 'existing' ? plan.documents : resolveKeyArn(plan.documents, KEY_ARN);
  if (JSON.stringify(documents).includes(KEY_ARN_PLACEHOLDER)) throw new Error('key ARN placeholder left');
  return documents;
}

export interface Request {
  principal: string;
  action: string;
  resource: string;
  identity?: PolicyDocument[];
  resourcePolicy?: PolicyDocument;
  context?: Context;
  /** Service control policies besides FullAWSAccess, as one organization level. */
  scps?: PolicyDocument[];
}

const FULL_AWS_ACCESS: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' }],
};

const DROPPED_BY_SIMULATOR = /^kms:EncryptionContext:/i;

export async function simulate(request: Request): Promise<EvaluationResult> {
  const input = (context: Context): Simulation => ({
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: ACCOUNT },
      contextVariables: context,
    },
    identityPolicies: (request.identity ?? []).map((policy, index) => ({
      name: `identity-${index}`,
      policy,
    })),
    serviceControlPolicies: request.scps
      ? [
          {
            orgIdentifier: 'r-root',
            policies: [FULL_AWS_ACCESS, ...request.scps].map((policy, index) => ({
              name: `scp-${index}`,
              policy,
            })),
          },
        ]
      : [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
  });
  const context = request.context ?? {};
  const result = await runSimulation(input(context), {});
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`expected one resource, got ${result.resultType}`);
  const ignored = result.result.ignoredContextKeys ?? [];
  const unexpected = ignored.filter((key) => !DROPPED_BY_SIMULATOR.test(key));
  if (unexpected.length > 0)
    throw new Error(`context keys not valid for ${request.action}: ${unexpected.join(', ')}`);
  if (ignored.length === 0) return result.overallResult;

  return unfilteredVerdict(input, context, ignored, result.overallResult);
}

const identityOf = (documents: Plan['documents'], who: Who, extra: PolicyDocument[]) => {
  const own =
    who === 'admin'
      ? ADMINISTRATOR_ACCESS
      : who === 'poweruser'
        ? POWER_USER_ACCESS
        : who === 'root'
          ? // The root user may do anything in its account that no Deny forbids: modelled as *:*.
            ADMINISTRATOR_ACCESS
          : documents.rolePolicies[who];
  return [...(own ? [own] : []), ...extra];
};

/** An S3 request by a role session, judged by its generated identity policy and the bucket policy. */
export function s3Request(
  documents: Plan['documents'],
  who: Who,
  action: string,
  resource: string,
  context: Context = {},
  extra: PolicyDocument[] = [],
): Promise<EvaluationResult> {
  return simulate({
    principal: session(who),
    action,
    resource,
    identity: identityOf(documents, who, extra),
    resourcePolicy: documents.bucketPolicy,
    context: { ...HTTPS, [PRINCIPAL_ARN]: principalArn(who), ...context },
  });
}

/** A KMS request on the bucket key, judged by the role's identity policy and the key policy. */
export function kmsRequest(
  documents: Plan['documents'],
  who: Who,
  action: string,
  context: Context = {},
  extra: PolicyDocument[] = [],
): Promise<EvaluationResult> {
  const resource = action === 'kms:ListAliases' ? '*' : KEY_ARN;
  return simulate({
    principal: session(who),
    action,
    resource,
    identity: identityOf(documents, who, extra),
    ...(resource === '*' ? {} : { resourcePolicy: documents.keyPolicy }),
    context: { [PRINCIPAL_ARN]: principalArn(who), ...context },
  });
}

/** The context S3 presents to KMS for an object in `bucketArn` (Bucket Key on: the bucket ARN). */
export const viaS3 = (contextArn = BUCKET_ARN): Context => ({
  [VIA_SERVICE]: S3_VIA,
  [S3_CONTEXT]: contextArn,
});

/** One row of a matrix table: who asks for what, and the verdict the DESIGN.md row demands. */
export interface Row {
  /** The DESIGN.md access-matrix row (and column) this case proves. */
  row: string;
  who: Who;
  action: string;
  resource?: string;
  context?: Context;
  /** Extra identity policies the role might also hold, e.g. KMS_STAR. */
  extra?: PolicyDocument[];
  expected: EvaluationResult;
}

export function runRow(documents: Plan['documents'], row: Row): Promise<EvaluationResult> {
  const { who, action, context = {}, extra = [] } = row;
  if (action.startsWith('kms:')) return kmsRequest(documents, who, action, context, extra);
  if (action.startsWith('s3:'))
    return s3Request(documents, who, action, row.resource ?? OBJECT_ARN, context, extra);
  return simulate({
    principal: session(who),
    action,
    resource: row.resource ?? '*',
    identity: identityOf(documents, who, extra),
    context: { [PRINCIPAL_ARN]: principalArn(who), ...context },
  });
}

/** A Row in one line: `row('app role may', 'app', 's3:GetObject', 'Allowed', { context })`. */
export const row = (
  name: string,
  who: Who,
  action: string,
  expected: EvaluationResult,
  options: Pick<Row, 'resource' | 'context' | 'extra'> = {},
): Row => ({ row: name, who, action, expected, ...options });
