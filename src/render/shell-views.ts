import { keyArnInDocuments, NEW_KEY } from '../plan/key-reference.js';
import { schemeTraits } from '../plan/schemes.js';
import type { Plan, PlanStep } from '../types.js';
import { planDocuments, ROLE_POLICY_FILES } from './documents.js';
import { describeStep } from './format.js';
import { OFFLINE_LOCK, type SetupLock } from './lock.js';
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
  const { bucket, key } = plan.desired;
  return {
    region: bucket.region,
    bucket: bucket.name,
    kms: key !== undefined,
    newKey: key?.kind === 'new',
    existingKey: key?.kind === 'existing',
    strict: plan.desired.enforcement === 'strict',
    // Empty when not relevant; templates only print them under {{#if newKey}} / {{#if existingKey}}.
    keyAlias: key?.kind === 'new' ? key.alias : '',
    existingKeyArn: key?.kind === 'existing' ? key.arn : '',
  };
}

/**
 * setup.sh's view: the plan's operations in order, and the lock it checks before its first
 * write. `lock` is what render read from the account; offline, the lock says nothing exists yet.
 */
export function setupView(plan: Plan, lock: SetupLock = OFFLINE_LOCK) {
  const { key, rolePolicies } = plan.desired;
  const newKey = key?.kind === 'new' ? key : undefined;
  return encodeView(
    {
      ...commonView(plan),
      keyDescription: newKey?.description ?? '',
      keyTagsJson: JSON.stringify((newKey?.tags ?? []).map((t) => ({ TagKey: t.Key, TagValue: t.Value }))),
      // The tag every key this plan creates carries: how setup.sh lists the keys already made.
      keyTagFilterJson: newKey
        ? JSON.stringify([{ Key: newKey.lookupTag.Key, Values: [newKey.lookupTag.Value] }])
        : '',
      rotationDays: newKey?.rotationDays ?? 0,
      // The text the JSON files carry for the new key's ARN; setup.sh puts the ARN in at run time.
      keyArnPlaceholder: keyArnInDocuments(NEW_KEY),
      createBucket: plan.desired.bucket.createdByThisPlan,
      lockRead: lock.read ? 'yes' : 'no',
      lock: { ...lock },
      // The roles setup.sh checks for before any write: each one it puts a policy on, once.
      roles: [...new Set(rolePolicies.map((each) => each.role.name))],
      // Our inline policies that setup.sh saves before it puts them again.
      rolePolicies: rolePolicies.map((each) => ({
        roleName: each.role.name,
        policyName: each.policyName,
        backupFile: roleBackupFile(each.role.name, each.policyName),
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
  if (plan.desired.key?.kind === 'new') {
    requirements.push({
      service: 'kms',
      operation: 'enable-key-rotation',
      fields: [{ field: 'RotationPeriodInDays', what: 'kms enable-key-rotation --rotation-period-in-days' }],
    });
  }
  const document = planDocuments(plan).bucketEncryption;
  requirements.push({
    service: 's3api',
    operation: 'put-bucket-encryption',
    fields: fieldNames(document.value).map((field) => ({
      field,
      what: `s3api put-bucket-encryption with ${field} (policies/${document.file})`,
    })),
  });
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
