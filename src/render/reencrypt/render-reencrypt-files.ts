import {
  BATCH_PREFIX,
  batchRoleArn,
  batchRoleName,
  batchRolePolicy,
  batchRoleTrustPolicy,
  buildCreateJobRequest,
  COPYABLE_STORAGE_CLASSES,
  type CopyableStorageClass,
  clientRequestToken,
} from '../../reencrypt/batch/job-request.js';
import { BATCH_ROLE_POLICY_NAME } from '../../reencrypt/batch/policy-name.js';
import { KEY_ARN_PLACEHOLDER, type Partition, type RenderedFile } from '../../types.js';
import { createRenderer } from '../create-renderer.js';
import { shellQuote } from '../shell-quote.js';
import type { Templates } from '../templates.js';
import { encodeView } from '../view-values.js';

export interface ReencryptRenderInput {
  bucket: string;
  region: string;
  accountId: string;
  partition: Partition;
  /** The full key ARN, or KEY_ARN_PLACEHOLDER for a key still to be created. */
  keyArn: string;
  /** Lets the scripts find a new key by alias (`alias/name`) when KEY_ARN is not set. */
  keyAlias?: string;
  /** KMS keys objects are on now (a scan's otherKeys): the job role may decrypt them. */
  sourceKeyArns?: string[];
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** `create-job-standard-ia.json` for STANDARD_IA; start-jobs.sh derives the same name. */
export function jobFileName(storageClass: CopyableStorageClass): string {
  return `create-job-${storageClass.toLowerCase().replaceAll('_', '-')}.json`;
}

/**
 * reencrypt.sh and batch-operations/: pure, from the input and the template text. Every value
 * entering a script goes through shellQuote (encodeView); the JSON files are the typed
 * documents serialised, with the key placeholder that the scripts replace at run time.
 */
export function renderReencryptFiles(input: ReencryptRenderInput, templates: Templates): RenderedFile[] {
  const render = createRenderer(templates, 'reencrypt/');
  const keyKnown = input.keyArn !== KEY_ARN_PLACEHOLDER;
  const target = { ...input, ...(input.sourceKeyArns ? { sourceKeyArns: input.sourceKeyArns } : {}) };
  const roleArn = batchRoleArn(input);
  const jobs = COPYABLE_STORAGE_CLASSES.map((storageClass) => ({
    storageClass,
    file: jobFileName(storageClass),
    request: buildCreateJobRequest({
      ...target,
      storageClass,
      roleArn,
      manifest: { kind: 'generated' },
      clientRequestToken: clientRequestToken([
        input.bucket,
        input.keyArn,
        storageClass,
        'generated-manifest',
      ]),
    }),
  }));
  const keyView = {
    keyKnown,
    keyArn: keyKnown ? input.keyArn : '',
    keyAlias: input.keyAlias ?? '',
    keyArnPlaceholder: KEY_ARN_PLACEHOLDER,
  };
  const shell = encodeView(
    {
      bucket: input.bucket,
      region: input.region,
      accountId: input.accountId,
      roleName: batchRoleName(input.bucket),
      policyName: BATCH_ROLE_POLICY_NAME,
      ...keyView,
    },
    shellQuote,
  );
  const markdown = readmeView(input, roleArn, jobs);
  return [
    render('reencrypt.sh', shell, true),
    render(
      'batch-operations/start-jobs.sh',
      { ...shell, storageClasses: COPYABLE_STORAGE_CLASSES.join(' ') },
      true,
    ),
    render('batch-operations/README.md', markdown),
    { path: 'batch-operations/role-trust-policy.json', content: json(batchRoleTrustPolicy()) },
    { path: 'batch-operations/role-policy.json', content: json(batchRolePolicy(target, 'generated')) },
    ...jobs.map((job) => ({ path: `batch-operations/${job.file}`, content: json(job.request) })),
  ];
}

/** The README section about objects written before encryption, for the main README. */
export function renderReencryptReadmeSection(input: ReencryptRenderInput, templates: Templates): string {
  return createRenderer(templates, 'reencrypt/')(
    'README-section.md',
    readmeView(input, batchRoleArn(input), []),
  ).content;
}

function readmeView(
  input: ReencryptRenderInput,
  roleArn: string,
  jobs: { storageClass: string; file: string }[],
) {
  const keyArg = input.keyArn === KEY_ARN_PLACEHOLDER ? '"$KEY_ARN"' : shellQuote(input.keyArn);
  const target = `--bucket ${shellQuote(input.bucket)} --region ${shellQuote(input.region)}`;
  return {
    bucket: input.bucket,
    keyArn: input.keyArn === KEY_ARN_PLACEHOLDER ? 'the new key' : input.keyArn,
    keyPhrase:
      input.keyArn === KEY_ARN_PLACEHOLDER
        ? 'the key setup.sh creates (it prints its ARN)'
        : `the key \`${input.keyArn}\``,
    region: input.region,
    roleName: batchRoleName(input.bucket),
    roleArn,
    reportPrefix: `${BATCH_PREFIX}/reports`,
    sourceKeys: (input.sourceKeyArns ?? []).length > 0,
    jobs: jobs.map((job) => ({ storageClass: job.storageClass, file: job.file })),
    scanCommand: `npx create-encrypted-bucket scan ${target} --key ${keyArg}`,
    reencryptCommand: `npx create-encrypted-bucket reencrypt ${target} --key ${keyArg}`,
    describeCommand: `aws s3control describe-job --region ${shellQuote(input.region)} --account-id ${shellQuote(input.accountId)} --job-id JOB_ID`,
  };
}
