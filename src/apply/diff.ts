import { resolveKeyArn } from '../plan/key-reference.js';
import type { Plan, PlanStep, PolicyDocument } from '../types.js';
import { plural } from '../ui/plural.js';
import type { StepDiff, StepStatus } from './contract.js';
import { mergeBucketPolicy } from './merge-bucket-policy.js';
import { sameJson, statementChanges } from './policy-json.js';
import type { AccountState } from './state.js';
import { stepId, stepLabel } from './step-labels.js';

export interface PlannedStep {
  step: PlanStep;
  diff: StepDiff;
}

type Change = { status: StepStatus; details: string[] };

const inPlace = (...details: string[]): Change => ({ status: 'in-place', details });

/**
 * Discovered state vs plan, step by step. Pure. Documents are compared by meaning
 * (policy-json.ts), with the key placeholder resolved to the key found again, so a re-run
 * after success is "in-place" everywhere and writes nothing.
 */
export function diffPlan(plan: Plan, state: AccountState): PlannedStep[] {
  const keyArn = knownKeyArn(plan, state);
  return plan.steps.map((step) => ({
    step,
    diff: { step: stepId(step), title: stepLabel(step), ...diffStep(step, state, keyArn) },
  }));
}

/** The real key ARN when it is known before writing: an existing key, or ours found again. */
export function knownKeyArn(plan: Plan, state: AccountState): string | undefined {
  if (plan.keyArn?.kind === 'created-by-this-plan') return state.key?.arn;
  return plan.keyArn?.arn;
}

export function resolved<T>(document: T, keyArn: string | undefined): T {
  return keyArn ? resolveKeyArn(document, keyArn) : document;
}

function diffStep(step: PlanStep, state: AccountState, keyArn: string | undefined): Change {
  const { bucket, key } = state;
  switch (step.kind) {
    case 's3.createBucket':
      return bucket.status === 'exists'
        ? inPlace(`bucket exists in ${bucket.region}`)
        : {
            status: 'create',
            details: [
              step.region === 'us-east-1'
                ? 'no LocationConstraint (us-east-1)'
                : `LocationConstraint ${step.region}`,
              'object ownership BucketOwnerEnforced (ACLs off), public access blocked',
            ],
          };
    case 'kms.createKey':
      return key
        ? inPlace(`found by ${key.foundBy === 'alias' ? 'its alias' : 'its tag'}: ${key.arn}`)
        : {
            status: 'create',
            details: [`symmetric key tagged ${step.tags.map((t) => `${t.Key}=${t.Value}`).join(', ')}`],
          };
    case 'kms.createAlias':
      return key?.hasAlias
        ? inPlace(`${step.alias} -> ${key.arn}`)
        : { status: 'create', details: [`${step.alias} -> ${key?.arn ?? 'the new key'}`] };
    case 'kms.enableRotation':
      return diffRotation(step.rotationDays, state);
    case 'kms.putKeyPolicy':
      return diffDocument(key ? key.policy?.document : undefined, step.policy, keyArn, key === undefined);
    case 's3.putBucketEncryption':
      return diffEncryption(step, state, keyArn);
    case 's3.putPublicAccessBlock': {
      const current = bucket.status === 'exists' ? bucket.publicAccessBlock : undefined;
      if (!current) return { status: 'create', details: ['all four settings on'] };
      const off = Object.keys(step.block).filter((name) => current[name as keyof typeof current] !== true);
      return off.length === 0
        ? inPlace('all four settings on')
        : { status: 'update', details: off.map((name) => `${name} -> true`) };
    }
    case 's3.putBucketPolicy':
      return diffBucketPolicy(step.policy, state, keyArn);
    case 'iam.putRolePolicy': {
      const role = state.roles.find((candidate) => candidate.role.name === step.role.name);
      return diffDocument(role?.policy?.document, step.policy, keyArn, false);
    }
  }
}

function diffRotation(days: number, state: AccountState): Change {
  const rotation = state.key?.rotation;
  if (!state.key) return { status: 'create', details: [`every ${days} days`] };
  if (!rotation)
    return { status: 'update', details: ['status could not be read; enabling is safe to repeat'] };
  if (!rotation.enabled) return { status: 'update', details: [`off -> every ${days} days`] };
  if (rotation.periodDays === undefined) return inPlace('on (the service did not report the period)');
  return rotation.periodDays === days
    ? inPlace(`on, every ${days} days`)
    : { status: 'update', details: [`every ${rotation.periodDays} -> ${days} days`] };
}

function diffDocument(
  current: unknown,
  planned: PolicyDocument,
  keyArn: string | undefined,
  byCreateKey: boolean,
): Change {
  if (byCreateKey) return { status: 'create', details: ['set by CreateKey together with the new key'] };
  const desired = resolved(planned, keyArn);
  if (current === undefined) return { status: 'create', details: statementChanges(undefined, desired) };
  if (sameJson(current, desired))
    return inPlace(`${plural(desired.Statement.length, 'statement')} as planned`);
  return { status: 'update', details: statementChanges(current, desired) };
}

function diffEncryption(
  step: Extract<PlanStep, { kind: 's3.putBucketEncryption' }>,
  state: AccountState,
  keyArn: string | undefined,
): Change {
  const wanted = step.encryption;
  // The new key's ARN is unknown until CreateKey, unless a re-run found the key again.
  const wantedKey = wanted.key && (wanted.key.kind === 'existing' ? wanted.key.arn : keyArn);
  const rule = state.bucket.status === 'exists' ? state.bucket.encryption?.[0] : undefined;
  const keyName = wanted.key && (wantedKey ?? "the new key's full ARN");
  const describe = `${wanted.algorithm}${keyName ? ` with ${keyName}` : ''}, bucket key ${wanted.bucketKeyEnabled ? 'on' : 'off'}, blocked ${wanted.blockedEncryptionTypes.join(', ')}`;
  if (!rule) return { status: 'create', details: [describe] };
  const algorithm = rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  const currentKey = rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
  const bucketKey = rule.BucketKeyEnabled === true;
  const details: string[] = [];
  if (algorithm !== wanted.algorithm) details.push(`SSEAlgorithm ${algorithm} -> ${wanted.algorithm}`);
  // An alias or key id would resolve in the requester's account: only the full ARN is in place.
  if ((currentKey ?? undefined) !== wantedKey || (wanted.key && wantedKey === undefined))
    details.push(`KMSMasterKeyID ${currentKey ?? '(none)'} -> ${keyName ?? '(none)'}`);
  if (bucketKey !== wanted.bucketKeyEnabled)
    details.push(`BucketKeyEnabled ${bucketKey} -> ${wanted.bucketKeyEnabled}`);
  const blocked = blockedTypesDrift(
    rule.BlockedEncryptionTypes?.EncryptionType,
    wanted.blockedEncryptionTypes,
  );
  if (blocked.drift) details.push(blocked.drift);
  const described = blocked.note ? `${describe}; ${blocked.note}` : describe;
  return details.length === 0 ? inPlace(described) : { status: 'update', details };
}

/**
 * S3 reports BlockedEncryptionTypes since late 2025. A service that leaves it out (moto 5.2,
 * older S3-compatible endpoints) is reported, not rewritten on every run: it cannot say.
 */
function blockedTypesDrift(
  current: string[] | undefined,
  wanted: readonly string[],
): { drift?: string; note?: string } {
  const show = (types: readonly string[]) => [...types].sort().join(', ');
  if (current === undefined)
    return { note: `BlockedEncryptionTypes not reported by the service (wanted ${show(wanted)})` };
  if (show(current) === show(wanted)) return {};
  return { drift: `BlockedEncryptionTypes ${show(current) || '(none)'} -> ${show(wanted)}` };
}

function diffBucketPolicy(planned: PolicyDocument, state: AccountState, keyArn: string | undefined): Change {
  const current = state.bucket.status === 'exists' ? state.bucket.policy?.document : undefined;
  const merged = mergeBucketPolicy(current, resolved(planned, keyArn));
  if (current === undefined) return { status: 'create', details: statementChanges(undefined, merged.policy) };
  // Statement lines for ours; the statements of others are listed once, as kept.
  const details = [
    ...statementChanges(current, merged.policy).filter((line) => !line.startsWith('= ')),
    ...(merged.unchanged.length > 0
      ? [
          `= ${plural(merged.unchanged.length, "of this tool's statement", "of this tool's statements")} unchanged`,
        ]
      : []),
    ...(merged.kept.length > 0 ? [`= kept untouched (not this tool's): ${merged.kept.join(', ')}`] : []),
  ];
  if (sameJson(current, merged.policy)) return { status: 'in-place', details };
  return { status: 'update', details };
}
