import {
  defaultKeyAlias,
  normaliseAccountId,
  validateAccountId,
  validateBucket,
  validateKeyAlias,
  validateKeyArn,
  validateRegion,
  validateRequestsPerMonth,
  validateRole,
  validateRotationDays,
} from '../config/fields.js';
import { DEFAULT_REQUESTS_PER_MONTH, DEFAULT_ROTATION_DAYS } from '../config/parse-config.js';
import { answerTraits, SCHEMES } from '../plan/schemes.js';
import type { Answers } from '../types.js';
import type { AnswerKey, AnswerOption, OptionSpec, RunOption } from './option-table.js';

const oneOf =
  (allowed: readonly string[], what: string) =>
  (value: string): string | undefined =>
    allowed.includes(value)
      ? undefined
      : `${what} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`;

const role = (value: string, answers: Answers) =>
  validateRole(value, answers.accountId && normaliseAccountId(answers.accountId));

const ROLES_SCREEN = { stage: 'quick', screen: 'roles' } as const;

/** Every question, in the order the wizard and --help present them. */
export const ANSWER_OPTIONS = [
  {
    key: 'scheme',
    flag: '--scheme',
    kind: 'string',
    valueName: 'sse-kms|sse-s3|sse-c|client-kms|client-app-key',
    help: [
      'sse-kms (default): customer-managed key and access separation;',
      'sse-s3: AES256 default encryption, transport and SSE-C denies only;',
      'sse-c: your application sends its own key with every request;',
      'client-kms: the application encrypts with KMS data keys (SSE-KMS underneath);',
      'client-app-key: the application encrypts with a key it holds (SSE-S3 underneath)',
    ],
    group: 'Target',
    prompt: { stage: 'quick', screen: 'scheme' },
    validate: oneOf(SCHEMES, 'scheme'),
    defaultValue: () => 'sse-kms',
  },
  {
    key: 'bucket',
    flag: '--bucket',
    kind: 'string',
    valueName: 'NAME',
    help: 'bucket to protect (S3 naming rules)',
    group: 'Target',
    prompt: { stage: 'quick', screen: 'bucket' },
    validate: validateBucket,
  },
  {
    key: 'region',
    flag: '--region',
    kind: 'string',
    valueName: 'CODE',
    help: 'its region, e.g. eu-west-1',
    group: 'Target',
    prompt: { stage: 'quick', screen: 'region' },
    validate: validateRegion,
  },
  {
    key: 'accountId',
    flag: '--account-id',
    kind: 'string',
    valueName: 'ID',
    help: '12-digit account id, 1111-2222-3333 accepted (read from STS when credentials exist)',
    group: 'Target',
    prompt: { stage: 'quick', screen: 'account' },
    normalise: normaliseAccountId,
    validate: validateAccountId,
  },
  {
    key: 'createBucket',
    flag: '--create-bucket',
    kind: 'boolean',
    help: 'create the bucket too (ownership enforced, public access blocked)',
    group: 'Target',
    prompt: { stage: 'advanced', screen: 'create-bucket' },
    defaultValue: () => false,
  },
  {
    key: 'appRoles',
    flag: '--app-role',
    kind: 'list',
    valueName: 'ROLE',
    help: 'reads and writes objects; may use the key only through S3',
    group: 'Roles (repeatable; a role name or a full role ARN in the same account)',
    prompt: ROLES_SCREEN,
    validate: role,
  },
  {
    key: 'operatorRoles',
    flag: '--operator-role',
    kind: 'list',
    valueName: 'ROLE',
    help: 'manages bucket settings; can never decrypt',
    group: 'Roles (repeatable; a role name or a full role ARN in the same account)',
    prompt: ROLES_SCREEN,
    validate: role,
  },
  {
    key: 'auditorRoles',
    flag: '--auditor-role',
    kind: 'list',
    valueName: 'ROLE',
    help: 'reads key and bucket configuration and CloudTrail; changes nothing',
    group: 'Roles (repeatable; a role name or a full role ARN in the same account)',
    prompt: ROLES_SCREEN,
    validate: role,
  },
  {
    key: 'keyAdminRoles',
    flag: '--key-admin-role',
    kind: 'list',
    valueName: 'ROLE',
    help: "maintains this setup: the key and the bucket's security settings; can never decrypt",
    group: 'Roles (repeatable; a role name or a full role ARN in the same account)',
    prompt: ROLES_SCREEN,
    validate: role,
  },
  {
    key: 'reencryptRoles',
    flag: '--reencrypt-role',
    kind: 'list',
    valueName: 'ROLE',
    help: 're-encrypts older objects in place (and runs Batch Operations); decrypts nothing outside S3',
    group: 'Roles (repeatable; a role name or a full role ARN in the same account)',
    prompt: { stage: 'advanced', screen: 'reencrypt-role' },
    validate: role,
  },
  {
    key: 'keyAlias',
    flag: '--key-alias',
    kind: 'string',
    valueName: 'alias/NAME',
    help: 'alias of the new key (default alias/<bucket>)',
    group: 'Key',
    prompt: { stage: 'advanced', screen: 'key' },
    validate: validateKeyAlias,
    defaultValue: (answers) => (answers.bucket ? defaultKeyAlias(answers.bucket) : undefined),
  },
  {
    key: 'rotationDays',
    flag: '--rotation-days',
    kind: 'string',
    valueName: 'N',
    help: `automatic rotation period, 90 to 2560 (default ${DEFAULT_ROTATION_DAYS})`,
    group: 'Key',
    prompt: { stage: 'advanced', screen: 'rotation' },
    validate: validateRotationDays,
    defaultValue: (answers) =>
      !answerTraits(answers.scheme).usesKmsKey || answers.existingKey
        ? undefined
        : String(DEFAULT_ROTATION_DAYS),
  },
  {
    key: 'existingKey',
    flag: '--existing-key',
    kind: 'string',
    valueName: 'ARN',
    help: 'use this key (full ARN) instead of creating one',
    group: 'Key',
    prompt: { stage: 'advanced', screen: 'key' },
    validate: (value, answers) => validateKeyArn(value, answers.region),
  },
  {
    key: 'enforcement',
    flag: '--enforcement',
    kind: 'string',
    valueName: 'strict|compatible',
    help: [
      'strict (default): deny uploads without the encryption headers;',
      'compatible: deny only uploads naming another algorithm or key;',
      'headerless uploads get the bucket default',
    ],
    group: 'Enforcement',
    prompt: { stage: 'advanced', screen: 'enforcement' },
    validate: oneOf(['strict', 'compatible'], 'enforcement'),
    defaultValue: () => 'strict',
  },
  {
    key: 'requestsPerMonth',
    flag: '--requests-per-month',
    kind: 'string',
    valueName: 'N',
    help: `uploads plus downloads, for the KMS cost estimate (default ${DEFAULT_REQUESTS_PER_MONTH})`,
    group: 'Enforcement',
    prompt: { stage: 'advanced', screen: 'requests' },
    validate: validateRequestsPerMonth,
    defaultValue: () => String(DEFAULT_REQUESTS_PER_MONTH),
  },
  {
    key: 'renderDir',
    flag: '--render',
    kind: 'string',
    valueName: 'DIR',
    help: 'write setup.sh, verify.sh, policies/, terraform/, snippets/ (the default), relative to where you run',
    group: 'Output',
    prompt: { stage: 'output', screen: 'output' },
  },
  {
    key: 'overwrite',
    flag: '--overwrite',
    kind: 'boolean',
    help: 'allow --render into a folder that is not empty',
    group: 'Output',
    prompt: { stage: 'output', screen: 'overwrite' },
    oneShot: false,
  },
  {
    key: 'mode',
    flag: '--apply',
    kind: 'boolean',
    help: 'change the account now (shows the diff and asks first)',
    group: 'Output',
    prompt: { stage: 'output', screen: 'output' },
  },
  {
    key: 'verifyRole',
    flag: '--verify-role',
    kind: 'string',
    valueName: 'ROLE',
    help: 'an application role (name or ARN) that apply and verify assume to prove access',
    group: 'Output',
    prompt: {
      stage: 'never',
      reason: 'only apply and verify use it; until apply asks, a flag or the config file sets it',
    },
    validate: role,
  },
  {
    key: 'existingKey',
    flag: '--key',
    kind: 'string',
    valueName: 'ARN',
    help: "the bucket's key (required by verify and reencrypt)",
    group: 'verify, scan, reencrypt',
    prompt: { stage: 'never', reason: 'the same answer as --existing-key, which the wizard asks' },
    validate: (value, answers) => validateKeyArn(value, answers.region),
    oneShot: false,
  },
] as const satisfies readonly AnswerOption[];

/** tsc fails here when Answers gains a field that no option sets. */
export const EVERY_ANSWER_HAS_AN_OPTION: [
  Exclude<AnswerKey, (typeof ANSWER_OPTIONS)[number]['key']>,
] extends [never]
  ? true
  : never = true;

/** How the run behaves; none of these is asked. */
export const RUN_OPTIONS: readonly RunOption[] = [
  {
    run: 'dryRun',
    flag: '--dry-run',
    kind: 'boolean',
    group: 'Output',
    help: [
      'with --apply: show the diff; with reencrypt: list what would',
      'change; either way, change nothing',
    ],
  },
  {
    run: 'discover',
    flag: '--discover',
    kind: 'boolean',
    group: 'Output',
    help: [
      'with --render: read the account (read-only) and merge into what',
      'is there, as --apply would; on by default with credentials',
    ],
  },
  {
    run: 'noVerify',
    flag: '--no-verify',
    kind: 'boolean',
    group: 'Output',
    help: 'with --apply: skip the final checks',
  },
  {
    run: 'profile',
    flag: '--profile',
    kind: 'string',
    valueName: 'NAME',
    group: 'Output',
    help: 'AWS profile (default: the standard credential chain)',
    oneShot: true,
  },
  {
    run: 'endpointUrl',
    flag: '--endpoint-url',
    kind: 'string',
    valueName: 'URL',
    group: 'Output',
    help: 'another endpoint, e.g. LocalStack or moto (or AWS_ENDPOINT_URL)',
    oneShot: true,
  },
  {
    run: 'object',
    flag: '--object',
    kind: 'string',
    valueName: 'KEY',
    group: 'verify, scan, reencrypt',
    help: 'verify: check this existing object instead of uploading one',
  },
  {
    run: 'full',
    flag: '--full',
    kind: 'boolean',
    group: 'verify, scan, reencrypt',
    help: 'scan: every object instead of a sample',
  },
  {
    run: 'concurrency',
    flag: '--concurrency',
    kind: 'string',
    valueName: 'N',
    group: 'verify, scan, reencrypt',
    help: 'scan, reencrypt: requests in flight',
  },
  {
    run: 'checkpoint',
    flag: '--checkpoint',
    kind: 'string',
    valueName: 'FILE',
    group: 'verify, scan, reencrypt',
    help: 'reencrypt: progress file (resumes where it stopped)',
  },
  {
    run: 'batchOperations',
    flag: '--batch-operations',
    kind: 'boolean',
    group: 'verify, scan, reencrypt',
    help: ['reencrypt: hand the job to S3 Batch Operations (automatic', 'past a million objects)'],
  },
  {
    run: 'method',
    flag: '--method',
    kind: 'string',
    valueName: 'auto|update-encryption|copy',
    group: 'verify, scan, reencrypt',
    help: [
      'reencrypt: auto (default) uses UpdateObjectEncryption on AWS and',
      'copies on other endpoints; or force one',
    ],
  },
  {
    run: 'allVersions',
    flag: '--all-versions',
    kind: 'boolean',
    group: 'verify, scan, reencrypt',
    help: 'reencrypt: noncurrent versions too (UpdateObjectEncryption; never deleted)',
  },
  {
    run: 'job',
    flag: '--job',
    kind: 'string',
    valueName: 'ID',
    group: 'verify, scan, reencrypt',
    help: "reencrypt: a Batch Operations job's status and completion report",
  },
  {
    run: 'config',
    flag: '--config',
    kind: 'string',
    valueName: 'FILE',
    group: 'Run',
    help: 'read answers from a JSON file (same keys as --save-config; flags override it)',
    oneShot: true,
  },
  {
    run: 'saveConfig',
    flag: '--save-config',
    kind: 'string',
    valueName: 'FILE',
    group: 'Run',
    help: 'save the answers used to a JSON file, for the next project',
  },
  {
    run: 'yes',
    flag: '--yes',
    short: 'y',
    kind: 'boolean',
    group: 'Run',
    help: 'ask nothing; every missing answer is an error naming its flag',
  },
  {
    run: 'json',
    flag: '--json',
    kind: 'boolean',
    group: 'Run',
    help: 'print exactly one JSON document on stdout, on success and on failure',
  },
  {
    run: 'debug',
    flag: '--debug',
    kind: 'boolean',
    group: 'Run',
    help: 'more detail on errors (never credentials or request bodies)',
  },
  { run: 'help', flag: '--help', short: 'h', kind: 'boolean', group: 'Run', help: 'this page' },
  { run: 'version', flag: '--version', short: 'v', kind: 'boolean', group: 'Run', help: 'the version' },
  {
    run: 'generateMasterKey',
    flag: '--generate-master-key',
    kind: 'string',
    valueName: 'FILE',
    group: 'Output',
    help: [
      'client-app-key: write a new 256-bit master key (base64) to FILE, mode 0600,',
      'outside the output folder; never overwrites',
    ],
  },
];

export const ALL_OPTIONS: readonly OptionSpec[] = [...ANSWER_OPTIONS, ...RUN_OPTIONS];

/** The option whose value a config file, the one-shot command and error fields use for `key`. */
export function primaryOption(key: AnswerKey): AnswerOption {
  const options: readonly AnswerOption[] = ANSWER_OPTIONS;
  const option =
    options.find((candidate) => candidate.key === key && candidate.oneShot !== false) ??
    options.find((candidate) => candidate.key === key);
  if (!option) throw new Error(`no option for ${key}`);
  return option;
}
