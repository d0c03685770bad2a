import { schemeTraits } from '../plan/schemes.js';
import type { Plan, PlanStep } from '../types.js';
import { KEY_ARN_PLACEHOLDER } from '../types.js';
import { planDocuments, ROLE_POLICY_FILES } from './documents.js';
import { describeStep } from './format.js';
import { OFFLINE_LOCK, type SetupLock } from './lock.js';
import { findStep, keyFacts } from './plan-facts.js';
import { shellQuote } from './shell-quote.js';
import { encodeView } from './view-values.js';

/*
 * Views for the shell templates. Every string is passed through shellQuote by encodeView,
 * so `{{bucket}}` in a template prints `'my-bucket'`, never a bare word.
 */

const STEP_FLAGS = {
  createBucket: false,
  createKey: false,
  createAlias: false,
  enableRotation: false,
  putKeyPolicy: false,
  putBucketEncryption: false,
  putPublicAccessBlock: false,
  putBucketPolicy: false,
  putRolePolicy: false,
};

/** The backup file of a role's inline policy: a plain file name, whatever the names hold. */
function roleBackupFile(roleName: string, policyName: string): string {
  const safe = (name: string) => name.replace(/[^A-Za-z0-9+=,.@_-]/g, '_');
  return `role-${safe(roleName)}.${safe(policyName)}.json`;
}

function setupStepView(step: PlanStep) {
  const base = { ...STEP_FLAGS, title: describeStep(step) };
  switch (step.kind) {
    case 's3.createBucket':
      return {
        ...base,
        createBucket: true,
        // us-east-1 is the one region S3 refuses as a LocationConstraint.
        locationConstraint: step.region === 'us-east-1' ? false : `LocationConstraint=${step.region}`,
      };
    case 'kms.createKey':
      return { ...base, createKey: true };
    case 'kms.createAlias':
      return { ...base, createAlias: true };
    case 'kms.enableRotation':
      return { ...base, enableRotation: true };
    case 'kms.putKeyPolicy':
      return { ...base, putKeyPolicy: true };
    case 's3.putBucketEncryption':
      return { ...base, putBucketEncryption: true };
    case 's3.putPublicAccessBlock':
      return { ...base, putPublicAccessBlock: true };
    case 's3.putBucketPolicy':
      return { ...base, putBucketPolicy: true };
    case 'iam.putRolePolicy':
      return {
        ...base,
        putRolePolicy: true,
        roleName: step.role.name,
        policyName: step.policyName,
        policyFile: ROLE_POLICY_FILES[step.roleKind],
      };
  }
}

/** Facts every script needs: where the bucket is and how the key is named. */
function commonView(plan: Plan) {
  const key = keyFacts(plan);
  return {
    region: plan.config.region,
    bucket: plan.config.bucket,
    kms: key.kms,
    newKey: key.newKey,
    existingKey: key.existingKey,
    strict: plan.config.enforcement === 'strict',
    // Empty when not relevant; templates only print them under {{#if newKey}} / {{#if existingKey}}.
    keyAlias: key.alias ?? '',
    existingKeyArn: key.existingArn ?? '',
  };
}

/**
 * setup.sh's view: the plan's steps in order, and the lock it checks before its first write.
 * `lock` is what render read from the account; offline, the lock says nothing exists yet.
 */
export function setupView(plan: Plan, lock: SetupLock = OFFLINE_LOCK) {
  const key = keyFacts(plan);
  const roleSteps = plan.steps.flatMap((step) => (step.kind === 'iam.putRolePolicy' ? [step] : []));
  return encodeView(
    {
      ...commonView(plan),
      keyDescription: key.description ?? '',
      keyTagsJson: JSON.stringify(key.tags.map((t) => ({ TagKey: t.Key, TagValue: t.Value }))),
      // The tag every key this plan creates carries: how setup.sh lists the keys already made.
      keyTagFilterJson: key.lookupTag
        ? JSON.stringify([{ Key: key.lookupTag.Key, Values: [key.lookupTag.Value] }])
        : '',
      rotationDays: key.rotationDays ?? 0,
      keyArnPlaceholder: KEY_ARN_PLACEHOLDER,
      createBucket: plan.config.createBucket,
      lockRead: lock.read ? 'yes' : 'no',
      lock: { ...lock },
      // The roles setup.sh checks for before any write: each one it puts a policy on, once.
      roles: [...new Set(roleSteps.map((step) => step.role.name))],
      // Our inline policies that setup.sh saves before it puts them again.
      rolePolicies: roleSteps.map((step) => ({
        roleName: step.role.name,
        policyName: step.policyName,
        backupFile: roleBackupFile(step.role.name, step.policyName),
      })),
      steps: plan.steps.map(setupStepView),
      cliRequirements: cliRequirements(plan),
    },
    shellQuote,
  );
}

/** Every field name of a JSON document, at any depth, once each. */
function fieldNames(value: unknown, into = new Set<string>()): string[] {
  if (Array.isArray(value)) for (const item of value) fieldNames(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [name, inner] of Object.entries(value)) {
      into.add(name);
      fieldNames(inner, into);
    }
  }
  return [...into];
}

/**
 * The request fields setup.sh sends that an older aws CLI may not know (2.9 lacks
 * RotationPeriodInDays, and newer S3 fields such as BlockedEncryptionTypes). setup.sh checks
 * each against the CLI's own model (--generate-cli-skeleton) before its first call, so an old
 * CLI stops it before anything is written rather than halfway through.
 */
function cliRequirements(plan: Plan) {
  const requirements: { service: string; operation: string; fields: { field: string; what: string }[] }[] =
    [];
  if (findStep(plan, 'kms.enableRotation')) {
    requirements.push({
      service: 'kms',
      operation: 'enable-key-rotation',
      fields: [{ field: 'RotationPeriodInDays', what: 'kms enable-key-rotation --rotation-period-in-days' }],
    });
  }
  if (findStep(plan, 's3.putBucketEncryption')) {
    const document = planDocuments(plan).bucketEncryption;
    requirements.push({
      service: 's3api',
      operation: 'put-bucket-encryption',
      fields: fieldNames(document.value).map((field) => ({
        field,
        what: `s3api put-bucket-encryption with ${field} (policies/${document.file})`,
      })),
    });
  }
  for (const { fields } of requirements) {
    for (const { field } of fields) {
      if (!/^[A-Za-z0-9]+$/.test(field)) throw new Error(`request field ${field} is not alphanumeric`);
    }
  }
  return requirements;
}

export function awsCliSnippetView(plan: Plan) {
  const sseC = schemeTraits(plan.config.scheme).bucketLayer === 'sse-c';
  return encodeView({ ...commonView(plan), sseC }, shellQuote);
}
