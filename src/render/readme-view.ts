import { OWN_SID_PREFIX } from '../plan/bucket-policy.js';
import { layerAlgorithm, schemeTraits } from '../plan/schemes.js';
import type { Plan, RoleKind } from '../types.js';
import type { PlanDocuments } from './documents.js';
import { allDocuments } from './documents.js';
import { describeStep, formatAccessTable, formatCost } from './format.js';
import { shellQuote } from './shell-quote.js';
import { encodeView } from './view-values.js';

const ROLE_TITLES: Record<RoleKind, string> = {
  app: 'application',
  operator: 'operator',
  auditor: 'auditor',
  keyAdmin: 'key-administrator',
  reencrypt: 're-encryption',
};

function purposes(plan: Plan, documents: PlanDocuments): Map<string, string> {
  const layer = schemeTraits(plan.config.scheme).bucketLayer;
  const byFile = new Map<string, string>();
  if (documents.keyPolicy) {
    byFile.set(
      documents.keyPolicy.file,
      plan.desired.key?.kind === 'existing'
        ? 'The key policy this separation needs, for you to review and apply to the existing key (see below).'
        : 'The key policy: who may administer the key and who may use it (only the application roles).',
    );
  }
  byFile.set(
    documents.bucketPolicy.file,
    layer === 'sse-c'
      ? "The bucket policy: refuses every upload without the SSE-C headers, plain HTTP and old TLS, and changes to the bucket's security settings by anyone but the key administrators."
      : "The bucket policy: refuses wrongly encrypted uploads, SSE-C, plain HTTP and old TLS, and changes to the bucket's security settings by anyone but the key administrators.",
  );
  byFile.set(
    documents.bucketEncryption.file,
    layer === 'sse-kms'
      ? 'Default encryption: SSE-KMS with the key, Bucket Key on.'
      : layer === 'sse-c'
        ? 'Default encryption: SSE-S3 (AES256), with SSE-C explicitly allowed (BlockedEncryptionTypes NONE).'
        : 'Default encryption: SSE-S3 (AES256).',
  );
  byFile.set(documents.publicAccessBlock.file, 'Blocks every form of public access to the bucket.');
  for (const [kind, document] of Object.entries(documents.rolePolicies) as [RoleKind, { file: string }][]) {
    const roles = plan.config.roles[kind].map((role) => role.name).join(', ');
    byFile.set(
      document.file,
      `Inline policy \`${plan.rolePolicyNames[kind]}\` for the ${ROLE_TITLES[kind]} role(s): ${roles}.`,
    );
  }
  if (documents.reencryptTrustPolicy) {
    byFile.set(
      documents.reencryptTrustPolicy.file,
      "Lets S3 Batch Operations assume the re-encryption role: merge it into that role's trust policy.",
    );
  }
  if (documents.optionalScp) {
    byFile.set(
      documents.optionalScp.file,
      'Optional, never applied: an AWS Organizations service control policy that stops IAM administrators from taking over the named roles.',
    );
  }
  return byFile;
}

/** README.md is Markdown, not code: values are printed as they are, except in shell commands. */
export function readmeView(plan: Plan, documents: PlanDocuments, reencryptSection?: string) {
  const { config } = plan;
  const { key } = plan.desired;
  const existingKeyArn = key?.kind === 'existing' ? key.arn : '';
  const byFile = purposes(plan, documents);
  return {
    bucket: config.bucket,
    region: config.region,
    accountId: config.accountId,
    schemeTitle: schemeTraits(config.scheme).title,
    kms: key !== undefined,
    sseC: schemeTraits(config.scheme).bucketLayer === 'sse-c',
    newKey: key?.kind === 'new',
    existingKey: key?.kind === 'existing',
    existingKeyArn,
    enforcement: config.enforcement,
    ownSidPrefix: OWN_SID_PREFIX,
    createBucket: config.createBucket,
    putsRolePolicies: plan.desired.rolePolicies.length > 0,
    strict: config.enforcement === 'strict',
    algorithm: layerAlgorithm(schemeTraits(config.scheme).bucketLayer),
    documentFiles: allDocuments(documents).map((document) => ({
      file: document.file,
      purpose: byFile.get(document.file) ?? '',
    })),
    steps: plan.steps.map((step, index) => ({ number: index + 1, text: describeStep(step) })),
    accessTable: formatAccessTable(plan.accessTable),
    cost: formatCost(plan.cost, config.scheme),
    warnings: plan.warnings,
    reencryptSection: reencryptSection ?? '',
    shell: encodeView({ region: config.region, bucket: config.bucket, existingKeyArn }, shellQuote),
  };
}
