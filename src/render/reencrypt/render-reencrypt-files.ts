import { keyArnInDocuments, NEW_KEY } from '../../plan/key-reference.js';
import { BATCH_PREFIX, COPYABLE_STORAGE_CLASSES, jobFileName } from '../../plan/reencrypt-jobs.js';
import type { Plan, RenderedFile } from '../../types.js';
import { createRenderer } from '../create-renderer.js';
import type { PlanDocuments } from '../documents.js';
import { shellQuote } from '../shell-quote.js';
import type { Templates } from '../templates.js';
import { encodeView } from '../view-values.js';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const UPDATE_JOB_FILE = jobFileName({ operation: 'update-encryption' });

/**
 * batch-operations/: the Plan's Batch Operations jobs serialised, a README, and start-jobs.sh,
 * which only sends them (the key placeholder replaced at run time). Which objects a job
 * touches is decided by S3's manifest filter in the job, never by the script.
 */
export function renderReencryptFiles(
  plan: Plan,
  documents: PlanDocuments,
  templates: Templates,
): RenderedFile[] {
  const jobs = plan.documents.reencryptJobs;
  const [role] = plan.config.roles.reencrypt;
  if (!jobs || !role || plan.keyArn === undefined) return [];
  const render = createRenderer(templates, 'reencrypt/');
  const known = plan.keyArn.kind === 'existing' ? plan.keyArn.arn : undefined;
  const keyKnown = known !== undefined;
  const shell = encodeView(
    {
      region: plan.config.region,
      accountId: plan.config.accountId,
      roleName: role.name,
      keyKnown,
      keyArn: known ?? '',
      keyAlias: plan.config.key?.kind === 'new' ? plan.config.key.alias : '',
      // How the job files spell the new key's ARN; start-jobs.sh puts the ARN in at run time.
      keyArnPlaceholder: keyArnInDocuments(NEW_KEY),
      updateJobFile: UPDATE_JOB_FILE,
    },
    shellQuote,
  );
  const readme = {
    ...commands(plan),
    bucket: plan.config.bucket,
    roleArn: role.arn,
    keyPhrase: known ? `the key \`${known}\`` : 'the key setup.sh creates (it prints its ARN)',
    rolePolicyFile: documents.rolePolicies.reencrypt?.file ?? '',
    trustPolicyFile: documents.reencryptTrustPolicy?.file ?? '',
    reportPrefix: `${BATCH_PREFIX}/reports`,
    jobs: jobs.map((job) => ({ file: job.file, what: jobPurpose(job.request.Operation) })),
  };
  return [
    render(
      'batch-operations/start-jobs.sh',
      { ...shell, storageClasses: COPYABLE_STORAGE_CLASSES.join(' ') },
      true,
    ),
    render('batch-operations/README.md', readme),
    ...jobs.map((job) => ({ path: `batch-operations/${job.file}`, content: json(job.request) })),
  ];
}

/** The main README's section about objects written before encryption; only with a key to move to. */
export function renderReencryptReadmeSection(plan: Plan, templates: Templates): string | undefined {
  if (plan.keyArn === undefined) return undefined;
  return createRenderer(templates, 'reencrypt/')('README-section.md', {
    ...commands(plan),
    batchOperations: plan.documents.reencryptJobs !== undefined,
  }).content;
}

function jobPurpose(operation: { S3PutObjectCopy?: { StorageClass?: string } } | undefined): string {
  const copy = operation?.S3PutObjectCopy;
  return copy
    ? `copy unencrypted ${copy.StorageClass} objects in place onto the key`
    : 'UpdateObjectEncryption of every SSE-S3 and SSE-KMS object onto the key';
}

function commands(plan: Plan) {
  const { config } = plan;
  const key = plan.keyArn;
  const keyArg = key?.kind === 'created-by-this-plan' ? '"$KEY_ARN"' : shellQuote(key?.arn ?? '');
  const target = `--bucket ${shellQuote(config.bucket)} --region ${shellQuote(config.region)}`;
  return {
    scanCommand: `npx create-encrypted-bucket scan ${target} --key ${keyArg}`,
    reencryptCommand: `npx create-encrypted-bucket reencrypt ${target} --key ${keyArg}`,
    jobCommand: `npx create-encrypted-bucket reencrypt ${target} --key ${keyArg} --job JOB_ID`,
  };
}
